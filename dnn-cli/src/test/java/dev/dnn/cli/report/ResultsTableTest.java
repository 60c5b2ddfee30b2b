package dev.dnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.cli.run.ExperimentResults;
import org.junit.jupiter.api.Test;

class ResultsTableTest {
  private final ExperimentResults results = SyntheticResults.twoBackends();

  @Test
  void listsEveryRunWithItsAccuraciesAndTime() {
    String table = ResultsTable.of(results.runs()).render();
    String[] lines = table.split("\n");
    assertEquals(2 + 3, lines.length, table);
    assertTrue(lines[0].startsWith("| Config"), table);
    String tanhCpu = lines[2];
    for (String expected :
        new String[] {
          "Deep-tanh",
          "784-16-16-16-10 tanh",
          "sgd 0.1, b512, glorot",
          "cpu",
          "87.50%",
          "81.25%",
          "80.00%",
          "20.00 s",
          "1,200"
        }) {
      assertTrue(tanhCpu.contains(expected), "missing " + expected + " in " + tanhCpu);
    }
  }

  @Test
  void speedupIsReferenceTimeOverOtherTime() {
    String table = SpeedupTable.of(results.runs()).render();
    String[] lines = table.split("\n");
    assertTrue(lines[0].contains("cuda vs cpu"), table);
    // Deep-tanh: 20 s on cpu, 5 s on cuda.
    assertTrue(lines[2].contains("Deep-tanh") && lines[2].endsWith("4.00x |"), lines[2]);
    // ReLU did not run on cuda.
    assertTrue(lines[3].contains("ReLU") && lines[3].endsWith("- |"), lines[3]);
  }

  @Test
  void markdownDocumentHasSpeedupsOnlyWithSeveralBackends() {
    assertTrue(ExperimentFiles.markdown(results).contains("## Training time per backend"));
    String single = ExperimentFiles.markdown(SyntheticResults.oneBackend());
    assertTrue(single.contains("| ReLU"), single);
    assertTrue(!single.contains("Training time per backend"), single);
  }
}
