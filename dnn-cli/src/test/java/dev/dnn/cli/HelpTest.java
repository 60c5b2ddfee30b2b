package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HelpTest {
  /** Every subcommand the command line registers, so that a new one is covered without a list. */
  static Stream<String> commands() {
    return DnnCommand.commandLine().getSubcommands().keySet().stream()
        .filter(name -> !name.equals("help"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandPrintsItsHelp(String command) {
    DnnCommandTest.Outcome outcome = DnnCommandTest.run(command, "--help");
    assertEquals(0, outcome.status(), outcome.err());
    assertTrue(outcome.out().startsWith("Usage: dnn " + command), outcome.out());
    assertFalse(outcome.out().contains("picocli WARN"), outcome.out());
    assertEquals("", outcome.err());
  }

  @ParameterizedTest
  @MethodSource("commands")
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
