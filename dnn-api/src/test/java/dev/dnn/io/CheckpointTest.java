package dev.dnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  @Test
  void roundTrip() throws IOException {
    Map<String, HostArray> params = new LinkedHashMap<>();
    params.put("0.weight", new HostArray(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    params.put("0.bias", HostArray.vector(0.5f, -0.5f, 0));
    Map<String, HostArray> optim = new LinkedHashMap<>();
    optim.put("0.weight.m", new HostArray(new int[] {2, 3}, new float[6]));
    optim.put("0.weight.v", new HostArray(new int[] {2, 3}, new float[] {1e-8f, 0, 0, 0, 0, 1}));
    Checkpoint c =
        new Checkpoint(params, optim, 1234, 7, -99L, Map.of("dnn.spec", "{\"layers\":[]}"));
    Path path = dir.resolve("ckpt.safetensors");
    c.save(path);
    Checkpoint back = Checkpoint.load(path);
    assertEquals(c, back);
    assertEquals(List.of("0.weight", "0.bias"), List.copyOf(back.parameters().keySet()));
    assertEquals(1234, back.step());
    assertEquals(7, back.epoch());
    assertEquals(-99L, back.seed());
    assertArrayEquals(
        new float[] {1e-8f, 0, 0, 0, 0, 1}, back.optimizerState().get("0.weight.v").data());
  }

  @Test
  void rejectsPlainSafetensorsAndBadPositions() throws IOException {
    Path plain = dir.resolve("plain.safetensors");
    SafeTensors.write(plain, Map.of("w", HostArray.vector(1)), Map.of());
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> Checkpoint.load(plain));
    assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
    Path bad = dir.resolve("bad.safetensors");
    SafeTensors.write(
        bad,
        Map.of("param/w", HostArray.vector(1)),
        Map.of("dnn.checkpoint", "1", "dnn.step", "x", "dnn.epoch", "0", "dnn.seed", "0"));
    e = assertThrows(MalformedFileException.class, () -> Checkpoint.load(bad));
    assertTrue(e.getMessage().contains("dnn.step 'x'"), e.getMessage());
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Checkpoint(Map.of(), Map.of(), 0, 0, 0, Map.of("dnn.step", "1")));
    assertTrue(Files.exists(plain));
  }
}
