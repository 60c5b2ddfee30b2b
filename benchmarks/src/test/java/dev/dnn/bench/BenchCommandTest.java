package dev.dnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class BenchCommandTest {
  @TempDir Path dir;

  record Outcome(int status, String out, String err) {}

  static Outcome run(String... args) {
    CommandLine cli = BenchCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Outcome(status, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"jmh", "jmh-table"})
  void everyCommandPrintsItsHelp(String command) {
    Outcome outcome = run(command, "--help");
    assertEquals(0, outcome.status(), outcome.err());
    assertTrue(outcome.out().startsWith("Usage: dnn " + command), outcome.out());
    assertEquals("", outcome.err());
  }

  @Test
  void jmhHelpPointsAtJmhsOwnOptions() {
    assertTrue(run("jmh", "--help").out().contains("jmh -h"));
  }

  @Test
  void jmhTableWritesIntoANewDirectory() throws Exception {
    Path results =
        Files.writeString(
            dir.resolve("jmh.json"),
            "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\", \"primaryMetric\": {\"score\": 2.0,"
                + " \"scoreUnit\": \"us/op\"}}]");
    Path table = dir.resolve("new/jmh.md");
    Outcome outcome = run("jmh-table", results.toString(), "--out", table.toString());
    assertEquals(0, outcome.status(), outcome.err());
    assertEquals(outcome.out(), Files.readString(table));
  }

  @Test
  void aMissingResultFileIsAUsageError() {
    Outcome outcome = run("jmh-table", dir.resolve("none.json").toString());
    assertEquals(2, outcome.status());
    assertTrue(outcome.err().contains("does not exist"), outcome.err());
  }
}
