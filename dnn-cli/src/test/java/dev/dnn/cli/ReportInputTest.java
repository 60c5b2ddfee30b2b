package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.cli.report.ResultsJson;
import dev.dnn.cli.report.SyntheticResults;
import dev.dnn.cli.run.ExperimentResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.json files that report cannot use are refused in one line that says why. */
class ReportInputTest {
  @TempDir Path dir;

  private String goodJson() throws Exception {
    return ResultsJson.toJson(SyntheticResults.twoBackends());
  }

  private DnnCommandTest.Outcome report(String json) throws Exception {
    Path file = Files.writeString(dir.resolve("results.json"), json);
    return DnnCommandTest.run("report", file.toString(), "--out", dir.resolve("out").toString());
  }

  private static void assertOneLineNaming(DnnCommandTest.Outcome outcome, String... words) {
    assertEquals(2, outcome.status(), outcome.err());
    assertEquals(1, outcome.err().lines().count(), outcome.err());
    assertTrue(outcome.err().contains("results.json"), outcome.err());
    for (String word : words) {
      assertTrue(outcome.err().contains(word), outcome.err());
    }
    assertFalse(outcome.err().contains("dev.dnn."), "no class names: " + outcome.err());
  }

  @Test
  void aTruncatedFileGivesTheLine() throws Exception {
    String json = goodJson();
    assertOneLineNaming(report(json.substring(0, json.length() / 2)), "line ");
  }

  @Test
  void aFieldOfAnotherVersionIsNamed() throws Exception {
    assertOneLineNaming(
        report(goodJson().replaceFirst("\\{", "{\"formatVersion\": 2,")), "formatVersion");
  }

  @Test
  void aMissingNumberIsRefusedNotReadAsZero() throws Exception {
    String json = goodJson().replaceFirst("\"wallSeconds\" : [0-9.eE+-]+,", "");
    assertOneLineNaming(report(json), "missing field 'wallSeconds'", "runs[0]");
  }

  @Test
  void aMissingTextFieldIsNamed() throws Exception {
    String json = goodJson().replaceFirst("\"backend\" : \"cpu\",", "");
    assertOneLineNaming(report(json), "backend");
  }

  @Test
  void aFileWithoutRunsIsRefusedBeforeAnythingIsPrinted() throws Exception {
    String json =
        ResultsJson.toJson(new ExperimentResults("t", "small", "data", "machine", List.of()));
    DnnCommandTest.Outcome outcome = report(json);
    assertOneLineNaming(outcome, "no runs");
    assertEquals("", outcome.out());
  }
}
