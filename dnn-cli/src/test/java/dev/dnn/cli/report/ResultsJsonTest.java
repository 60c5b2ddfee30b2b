package dev.dnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnn.backend.ActivationKind;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.init.Init;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A result record written with further top-level fields, as train --json adds its regression. */
class ResultsJsonTest {
  private static final RunConfig CONFIG =
      new RunConfig("x", List.of(4), ActivationKind.RELU, Init.HE_NORMAL, "sgd", 0.1, 8, 1, 0, 3);

  @Test
  void extraFieldsFollowTheRecordsOwn(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("run.json");
    ResultsJson.write(CONFIG, Map.of("regression", Map.of("rmse", 1.5)), file);
    JsonNode tree = new ObjectMapper().readTree(file.toFile());
    assertEquals("x", tree.get("name").asText());
    assertEquals(3, tree.get("seed").asLong());
    assertEquals(1.5, tree.get("regression").get("rmse").asDouble());
    List<String> fields = new ArrayList<>();
    tree.fieldNames().forEachRemaining(fields::add);
    assertEquals("regression", fields.get(fields.size() - 1), fields.toString());
  }

  @Test
  void anExtraFieldMayNotReplaceOneOfTheRecord(@TempDir Path dir) {
    Path file = dir.resolve("clash.json");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResultsJson.write(CONFIG, Map.of("seed", 4), file));
    assertTrue(e.getMessage().contains("'seed'"), e.getMessage());
    assertFalse(Files.exists(file));
  }
}
