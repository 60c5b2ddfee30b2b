package dev.dnn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "train",
        "experiment",
        "compare",
        "transfer",
        "report",
        "jmh-table",
        "evaluate",
        "predict",
        "fine-tune"
      })
  void everyCommandPrintsItsHelp(String command) {
    DnnCommandTest.Outcome outcome = DnnCommandTest.run(command, "--help");
    assertEquals(0, outcome.status(), outcome.err());
    assertTrue(outcome.out().startsWith("Usage: dnn " + command), outcome.out());
    assertFalse(outcome.out().contains("picocli WARN"), outcome.out());
    assertEquals("", outcome.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "jmh-table"})
  void theCommandListShowsAWholeSentence(String command) {
    // The command list shows the first description line of each command.
    String summary =
        DnnCommand.commandLine()
            .getSubcommands()
            .get(command)
            .getCommandSpec()
            .usageMessage()
            .description()[0];
    assertTrue(summary.endsWith("."), summary);
  }
}
