package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.cli.report.ExperimentFiles;
import dev.dnn.cli.report.ResultsJson;
import dev.dnn.cli.report.SyntheticResults;
import dev.dnn.cli.run.ExperimentResults;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunResult;
import dev.dnn.init.Init;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @Test
  void mergesACpuAndAGpuRunIntoOneReport(@TempDir Path dir) throws Exception {
    ExperimentResults cpu =
        new ExperimentResults(
            "Experiment",
            "small",
            "data",
            "cpu machine",
            List.of(
                SyntheticResults.run(SyntheticResults.TANH, "cpu", 0.9, 0.8, 0.8, 30, 1e-3),
                SyntheticResults.run(SyntheticResults.RELU, "cpu", 0.9, 0.8, 0.8, 20, 1e-1)));
    ExperimentResults gpu =
        new ExperimentResults(
            "Experiment",
            "small",
            "data",
            "gpu machine",
            List.of(
                SyntheticResults.run(SyntheticResults.TANH, "cuda", 0.9, 0.8, 0.8, 3, 1e-3),
                SyntheticResults.run(SyntheticResults.RELU, "cuda", 0.9, 0.8, 0.8, 4, 1e-1)));
    Path cpuFile = dir.resolve("cpu.json");
    Path gpuFile = dir.resolve("gpu.json");
    ResultsJson.write(cpu, cpuFile);
    ResultsJson.write(gpu, gpuFile);

    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(
            "report", cpuFile.toString(), gpuFile.toString(), "--out", dir.resolve("m").toString());

    assertEquals(0, outcome.status(), outcome.err());
    // Deep-tanh: 30 s against 3 s; ReLU: 20 s against 4 s.
    assertTrue(outcome.out().contains("10.00x"), outcome.out());
    assertTrue(outcome.out().contains("5.00x"), outcome.out());
    ExperimentResults merged =
        ResultsJson.read(dir.resolve("m").resolve(ExperimentFiles.JSON), ExperimentResults.class);
    assertEquals(
        List.of("Deep-tanh/cpu", "Deep-tanh/cuda", "ReLU/cpu", "ReLU/cuda"),
        merged.runs().stream().map(ReportCommandTest::key).toList());
    assertEquals("cpu machine | gpu machine", merged.machine());
    assertEquals("Experiment", merged.title());
    String html = Files.readString(dir.resolve("m").resolve(ExperimentFiles.HTML));
    assertTrue(html.contains("Training time per backend"));
  }

  @Test
  void aFileThatIsNotAResultsFileIsNamed(@TempDir Path dir) throws Exception {
    Path bogus = dir.resolve("bogus.json");
    Files.writeString(bogus, "{\"not\": \"results\"}");
    DnnCommandTest.Outcome outcome = DnnCommandTest.run("report", bogus.toString());
    assertEquals(2, outcome.status());
    assertTrue(outcome.err().contains("bogus.json"), outcome.err());
  }

  @Test
  void runsOfTheSameNameButAnotherNetworkAreNotCompared(@TempDir Path dir) throws Exception {
    RunConfig wideTanh =
        new RunConfig(
            "Deep-tanh",
            List.of(1000, 1000, 1000),
            ActivationKind.TANH,
            Init.GLOROT_UNIFORM,
            "sgd",
            0.1,
            512,
            3,
            0,
            1);
    Path cpuFile =
        write(
            dir,
            "cpu.json",
            "small",
            SyntheticResults.run(SyntheticResults.TANH, "cpu", 0.9, 0.8, 0.8, 30, 1e-3));
    Path gpuFile =
        write(
            dir,
            "gpu.json",
            "medium",
            SyntheticResults.run(wideTanh, "cuda", 0.9, 0.8, 0.8, 3, 1e-3));

    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(
            "report", cpuFile.toString(), gpuFile.toString(), "--out", dir.resolve("m").toString());

    // A 784-16-16-16-10 network on cpu against a 784-1000-1000-1000-10 one on cuda is no speedup.
    assertEquals(2, outcome.status(), outcome.out());
    assertTrue(outcome.err().contains("Deep-tanh"), outcome.err());
    assertTrue(
        outcome.err().contains("cpu.json") && outcome.err().contains("gpu.json"), outcome.err());
    assertTrue(outcome.err().contains("784-1000-1000-1000-10"), outcome.err());
    assertFalse(outcome.out().contains("cuda vs cpu"), outcome.out());
  }

  @Test
  void theSameRunOnTheSameBackendTwiceIsNotMerged(@TempDir Path dir) throws Exception {
    Path first =
        write(
            dir,
            "a.json",
            "small",
            SyntheticResults.run(SyntheticResults.TANH, "cpu", 0.9, 0.8, 0.8, 30, 1e-3));
    Path second =
        write(
            dir,
            "b.json",
            "small",
            SyntheticResults.run(SyntheticResults.TANH, "cpu", 0.9, 0.8, 0.8, 10, 1e-3));

    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(
            "report", first.toString(), second.toString(), "--out", dir.resolve("m").toString());

    // The speedup table has one cell per configuration and backend: one of the two would be lost.
    assertEquals(2, outcome.status(), outcome.out());
    assertTrue(outcome.err().contains("Deep-tanh on cpu"), outcome.err());
  }

  private static Path write(Path dir, String name, String scale, RunResult run) throws Exception {
    Path file = dir.resolve(name);
    ResultsJson.write(new ExperimentResults("Experiment", scale, "data", name, List.of(run)), file);
    return file;
  }

  private static String key(RunResult run) {
    return run.name() + "/" + run.backend();
  }
}
