package dev.dnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.internal.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path dir;

  /** A file built by hand from the format description: length, JSON, little-endian floats. */
  private static byte[] file(String json, float... data) {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b =
        ByteBuffer.allocate(8 + header.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header);
    for (float f : data) {
      b.putFloat(f);
    }
    return b.array();
  }

  @Test
  void readsAHandBuiltFile() throws IOException {
    // Bytes written out literally: 1.5f is 0x3FC00000, -2f is 0xC0000000, 0.25f is 0x3E800000.
    String json =
        "{\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},"
            + "\"__metadata__\":{\"format\":\"pt\"}}   ";
    byte[] header = json.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(header.length);
    bytes.writeBytes(new byte[7]);
    bytes.writeBytes(header);
    bytes.writeBytes(
        new byte[] {0, 0, (byte) 0xC0, 0x3F, 0, 0, 0, (byte) 0xC0, 0, 0, (byte) 0x80, 0x3E});
    Path path = Files.write(dir.resolve("hand.safetensors"), bytes.toByteArray());
    SafeTensorsFile f = SafeTensors.read(path);
    // File order is data order, not header order.
    assertEquals(List.of("w", "b"), List.copyOf(f.tensors().keySet()));
    assertArrayEquals(new int[] {1, 2}, f.tensor("w").shape());
    assertArrayEquals(new float[] {1.5f, -2f}, f.tensor("w").data());
    assertArrayEquals(new int[0], f.tensor("b").shape());
    assertArrayEquals(new float[] {0.25f}, f.tensor("b").data());
    assertEquals(Map.of("format", "pt"), f.metadata());
  }

  @Test
  void writesTheLayoutPyTorchReads() throws IOException {
    Map<String, HostArray> tensors = new LinkedHashMap<>();
    tensors.put("a", HostArray.vector(1f));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SafeTensors.writeTo(out, tensors, Map.of("format", "pt"));
    String json =
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    // Padded with spaces so the data starts at a multiple of 8, as the reference writer does.
    String padded = json + " ".repeat((8 - json.length() % 8) % 8);
    assertArrayEquals(file(padded, 1f), out.toByteArray());
  }

  @Test
  void roundTripKeepsOrderShapesValuesAndMetadata() throws IOException {
    Map<String, HostArray> tensors = new LinkedHashMap<>();
    float[] big = new float[100_002];
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) Math.sin(i) * 1e3f;
    }
    big[5] = Float.NaN;
    big[6] = Float.NEGATIVE_INFINITY;
    big[7] = -0f;
    big[8] = Float.MIN_VALUE;
    tensors.put("layer.1.weight", new HostArray(new int[] {3, 33_334, 1}, big));
    tensors.put("layer.0.bias", HostArray.vector(1, 2, 3));
    tensors.put("empty", new HostArray(new int[] {0, 5}, new float[0]));
    tensors.put("scalar", new HostArray(new int[0], new float[] {42}));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("spec", "{\"layers\":[]}");
    meta.put("unicode", "größe ✓");
    Path path = dir.resolve("model.safetensors");
    SafeTensors.write(path, tensors, meta);
    SafeTensorsFile back = SafeTensors.read(path);
    assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
    assertEquals(tensors, back.tensors()); // bitwise: Arrays.equals compares NaN and -0 exactly
    assertEquals(meta, back.metadata());
    assertEquals(0, (8 + headerLength(path)) % 8);
  }

  private static long headerLength(Path path) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
  }

  private void assertRejected(byte[] bytes, String fragment) throws IOException {
    Path path = Files.write(dir.resolve("bad.safetensors"), bytes);
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> SafeTensors.read(path));
    assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  private static String entry(String name, String dtype, String shape, long begin, long end) {
    return "\""
        + name
        + "\":{\"dtype\":\""
        + dtype
        + "\",\"shape\":"
        + shape
        + ",\"data_offsets\":["
        + begin
        + ","
        + end
        + "]}";
  }

  @Test
  void rejectsLyingHeaderLengthsBeforeAllocating() throws IOException {
    byte[] ok = file("{" + entry("a", "F32", "[1]", 0, 4) + "}", 1f);
    ByteBuffer b = ByteBuffer.wrap(ok.clone()).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, Long.MAX_VALUE);
    assertRejected(b.array(), "not a safetensors file: its first 8 bytes give a header length of");
    b.putLong(0, -1L);
    assertRejected(b.array(), "18446744073709551615");
    b.putLong(0, 90_000_000L); // within the bound but beyond the file
    assertRejected(b.array(), "exceeds");
    assertRejected(new byte[5], "too short");
  }

  @Test
  void rejectsBadEntries() throws IOException {
    assertRejected(file("{" + entry("a", "F16", "[2]", 0, 4) + "}", 1f), "dtype F16");
    assertRejected(file("{" + entry("a", "F32", "[-1]", 0, 4) + "}", 1f), "shape[0]");
    assertRejected(file("{" + entry("a", "F32", "[2]", 0, 4) + "}", 1f), "needs 8 bytes");
    assertRejected(
        file("{" + entry("a", "F32", "[2147483647,2147483647]", 0, 4) + "}", 1f), "2^31-1");
    assertRejected(
        file("{" + entry("a", "F32", "[1073741824]", 0, 4294967296L) + "}", 1f), "truncated");
    assertRejected(file("{" + entry("a", "F32", "[1]", 4, 8) + "}", 1f, 2f), "(gap)");
    assertRejected(
        file(
            "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}",
            1f,
            2f),
        "(overlap)");
    assertRejected(file("{" + entry("a", "F32", "[1]", 0, 4) + "}", 1f, 2f), "cover 4 bytes");
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 1f), "data_offsets");
    assertRejected(
        file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 1f), "shape[0]");
  }

  @Test
  void rejectsBadJsonAndMetadata() throws IOException {
    assertRejected(file("[1, 2]"), "does not start with '{'");
    assertRejected(file("{\"a\": "), "invalid JSON");
    assertRejected(file("{} {}"), "invalid JSON");
    assertRejected(
        file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 0, 4) + "}", 1f),
        "invalid JSON");
    assertRejected(file("{\"__metadata__\":{\"k\":1}}"), "not a string");
    assertRejected(file("{\"__metadata__\":[]}"), "not a JSON object");
  }

  @Test
  void failedSaveLeavesTheOldFileByteIdentical() throws IOException {
    Path path = dir.resolve("weights.safetensors");
    SafeTensors.write(path, Map.of("w", HostArray.vector(1, 2, 3)), Map.of("v", "1"));
    byte[] before = Files.readAllBytes(path);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    path,
                    out -> {
                      out.write(new byte[100_000]); // more than the buffer: reaches the disk
                      throw new IOException("disk full (simulated)");
                    }));
    assertEquals("disk full (simulated)", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(path));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of(path),
          files.filter(f -> !f.getFileName().toString().endsWith(".lock")).toList(),
          "temporary file left behind");
    }
    // An unchecked failure midway is no different.
    assertThrows(
        IllegalStateException.class,
        () ->
            AtomicFiles.write(
                path,
                out -> {
                  out.write(1);
                  throw new IllegalStateException("bug");
                }));
    assertArrayEquals(before, Files.readAllBytes(path));
  }

  @Test
  void aTruncatedFileSaysSoAndHowManyBytesAreMissing() throws IOException {
    Path path = dir.resolve("w.safetensors");
    SafeTensors.write(
        path, Map.of("a", HostArray.vector(1, 2, 3), "b", HostArray.vector(4, 5)), Map.of());
    byte[] whole = Files.readAllBytes(path);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 6);
    assertRejected(cut, "file is truncated");
    assertRejected(cut, "(6 bytes missing)");
  }

  @Test
  void aFileWhoseTensorsDoNotFitInTheFreeHeapIsRefusedBeforeAllocating() throws IOException {
    Path path = dir.resolve("big.safetensors");
    SafeTensors.write(path, Map.of("w", HostArray.vector(new float[1000])), Map.of());
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> SafeTensors.read(path, 3999));
    assertTrue(
        e.getMessage().contains("need 0.0 MB as float32") && e.getMessage().contains("-Xmx"),
        e.getMessage());
    assertEquals(1000, SafeTensors.read(path, 4000).tensor("w").size());
  }

  @Test
  void int64TensorsAsPyTorchWritesThemReadBackAsFloats() throws IOException {
    Path path = dir.resolve("counter.safetensors");
    Map<String, HostArray> tensors = new LinkedHashMap<>();
    tensors.put("w", HostArray.vector(0.5f));
    tensors.put("n", new HostArray(new int[0], new float[] {1234}));
    SafeTensors.write(path, tensors, Map.of(), java.util.Set.of("n"));
    String header = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    assertTrue(header.contains("\"n\":{\"dtype\":\"I64\""), header);
    SafeTensorsFile back = SafeTensors.read(path);
    assertArrayEquals(new float[] {1234}, back.tensor("n").data());
    assertArrayEquals(new int[0], back.tensor("n").shape());
    assertArrayEquals(new float[] {0.5f}, back.tensor("w").data());
  }

  @Test
  void saveReplacesAnExistingFile() throws IOException {
    Path path = dir.resolve("w.safetensors");
    SafeTensors.write(path, Map.of("w", HostArray.vector(1)), Map.of());
    SafeTensors.write(path, Map.of("w", HostArray.vector(2, 3)), Map.of());
    assertArrayEquals(new float[] {2, 3}, SafeTensors.read(path).tensor("w").data());
    assertThrows(
        IllegalArgumentException.class,
        () -> SafeTensors.write(path, Map.of("__metadata__", HostArray.vector(1)), Map.of()));
  }
}
