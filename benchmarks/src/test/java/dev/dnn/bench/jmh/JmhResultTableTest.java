package dev.dnn.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhResultTableTest {
  private static Path fixture() throws URISyntaxException {
    return Path.of(JmhResultTableTest.class.getResource("jmh-result.json").toURI());
  }

  @Test
  void oneRowPerBenchmarkWithAColumnPerBackendAndTheSpeedup() throws Exception {
    String[] lines = JmhResultTable.fromFile(fixture()).render().split("\n");
    assertEquals(2 + 3, lines.length, String.join("\n", lines));
    assertTrue(lines[0].contains(" cpu |") && lines[0].contains(" cuda |"), lines[0]);
    assertTrue(lines[0].contains("cuda speedup vs cpu"), lines[0]);
    // Time per operation: 120 ms on cpu against 1.5 ms on cuda is 80 times faster.
    assertTrue(lines[2].startsWith("| TrainingStepBenchmark.step"), lines[2]);
    assertTrue(lines[2].contains("batch=512"), lines[2]);
    assertTrue(lines[2].contains("120 ± 2.5"), lines[2]);
    assertTrue(lines[2].endsWith("80.00x |"), lines[2]);
    // Throughput: 400 ops/s against 100 is 4 times faster (not 0.25).
    assertTrue(lines[3].startsWith("| OpBenchmark.adam"), lines[3]);
    assertTrue(lines[3].endsWith("4.00x |"), lines[3]);
    // Only cpu ran: no ratio.
    assertTrue(lines[4].startsWith("| OpBenchmark.dropout"), lines[4]);
    assertTrue(lines[4].endsWith("- |"), lines[4]);
  }

  @Test
  void missingErrorEstimateShowsTheScoreAlone() throws Exception {
    String table = JmhResultTable.fromFile(fixture()).render();
    assertTrue(table.contains(" 1.5 |"), table);
  }

  @Test
  void rejectsFilesThatAreNotJmhResults(@TempDir Path dir) throws IOException {
    Path notArray = dir.resolve("object.json");
    Files.writeString(notArray, "{\"benchmark\": \"x\"}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JmhResultTable.fromFile(notArray));
    assertTrue(e.getMessage().contains("top-level array"), e.getMessage());

    IllegalArgumentException noScore =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JmhResultTable.parse(
                    new ObjectMapper().readTree("[{\"benchmark\":\"a.B.c\",\"mode\":\"avgt\"}]"),
                    "inline",
                    JmhResultTable.BACKEND_PARAM));
    assertTrue(noScore.getMessage().contains("inline entry 0"), noScore.getMessage());

    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "[{");
    IOException io = assertThrows(IOException.class, () -> JmhResultTable.fromFile(broken));
    assertTrue(io.getMessage().contains("broken.json"), io.getMessage());
  }

  @Test
  void anotherParameterCanProvideTheColumns(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("gemm.json");
    Files.writeString(
        file,
        "[{\"benchmark\":\"x.GemmBenchmark.multiply\",\"mode\":\"thrpt\","
            + "\"params\":{\"implementation\":\"dnn\",\"shape\":\"s\"},"
            + "\"primaryMetric\":{\"score\":50,\"scoreUnit\":\"ops/s\"}},"
            + "{\"benchmark\":\"x.GemmBenchmark.multiply\",\"mode\":\"thrpt\","
            + "\"params\":{\"implementation\":\"openblas\",\"shape\":\"s\"},"
            + "\"primaryMetric\":{\"score\":100,\"scoreUnit\":\"ops/s\"}}]");
    String[] lines = JmhResultTable.fromFile(file, "implementation").render().split("\n");
    assertEquals(3, lines.length, String.join("\n", lines));
    assertTrue(lines[0].contains("openblas speedup vs dnn"), lines[0]);
    assertTrue(lines[2].contains("shape=s") && lines[2].endsWith("2.00x |"), lines[2]);
  }

  @Test
  void shortensBenchmarkNamesToClassAndMethod() {
    assertEquals(
        "GemmBenchmark.gemm", JmhResultTable.shortName("dev.dnn.bench.jmh.GemmBenchmark.gemm"));
    assertEquals("plain", JmhResultTable.shortName("plain"));
  }

  @Test
  void garbageIsReportedInOneLineWithItsPlace(@TempDir Path dir) throws IOException {
    Path garbage = Files.writeString(dir.resolve("garbage.json"), "[{garbage");
    IOException e = assertThrows(IOException.class, () -> JmhResultTable.fromFile(garbage));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().contains("garbage.json"), e.getMessage());
    assertTrue(e.getMessage().contains("line 1, column 3"), e.getMessage());
  }

  @Test
  void aScoreThatIsNotANumberIsRefusedNotReadAsZero(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("text.json"),
            "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\","
                + " \"primaryMetric\": {\"score\": \"fast\", \"scoreUnit\": \"us/op\"}}]");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JmhResultTable.fromFile(file));
    assertTrue(e.getMessage().contains("entry 0"), e.getMessage());
    assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
  }
}
