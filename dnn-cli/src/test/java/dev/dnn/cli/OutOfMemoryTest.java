package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.data.MemoryBudget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An {@link OutOfMemoryError} anywhere in a command, not only while reading input, ends in one line
 * that names the command, its input and the heap, and says how to raise it; exit status 2.
 */
class OutOfMemoryTest {
  @TempDir Path dir;

  /** A command that runs out of memory the way its constructor is told to. */
  @Command(name = "exhaust")
  static final class Exhaust implements Runnable {
    @Option(names = "--input")
    String input;

    @Option(names = "--wrapped")
    boolean wrapped;

    @Override
    public void run() {
      OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
      if (wrapped) {
        // How a worker thread's error reaches the caller.
        throw new IllegalStateException("worker failed", oom);
      }
      throw oom;
    }
  }

  private static DnnCommandTest.Outcome exhaust(String... args) {
    CommandLine cli = DnnCommand.commandLine();
    cli.addSubcommand("exhaust", new Exhaust());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return new DnnCommandTest.Outcome(cli.execute(args), out.toString(), err.toString());
  }

  /** One line naming the command and input, with the heap limit and the way to raise it. */
  private static void oneLine(String err, String command, String input) {
    List<String> lines = err.lines().filter(l -> !l.startsWith("[")).toList();
    assertEquals(1, lines.size(), err);
    String line = lines.get(0);
    assertTrue(line.startsWith("dnn " + command + ": out of memory on "), line);
    assertTrue(line.contains(input), line);
    assertTrue(line.contains(MemoryBudget.format(Runtime.getRuntime().maxMemory())), line);
    assertTrue(line.contains("-Xmx") && line.contains("DNN_JAVA_OPTS="), line);
    assertFalse(err.contains("\tat "), "no stack trace: " + err);
  }

  @Test
  void anErrorThrownByACommandBecomesOneLine() {
    DnnCommandTest.Outcome outcome = exhaust("exhaust", "--input", "big.csv");
    assertEquals(ErrorHandler.USER_ERROR, outcome.status());
    oneLine(outcome.err(), "exhaust", "--input big.csv");
  }

  @Test
  void anErrorWrappedByAWorkerBecomesTheSameLine() {
    DnnCommandTest.Outcome outcome = exhaust("exhaust", "--wrapped", "--input", "big.csv");
    assertEquals(ErrorHandler.USER_ERROR, outcome.status());
    oneLine(outcome.err(), "exhaust", "big.csv");
  }

  @Test
  void theSuggestionIsTwiceTheHeapInWholeGigabytes() {
    assertEquals(1, OutOfMemory.suggestedGigabytes(64L << 20));
    assertEquals(4, OutOfMemory.suggestedGigabytes(2L << 30));
    assertEquals(5, OutOfMemory.suggestedGigabytes((2L << 30) + 1));
  }

  @Test
  void trainingANetworkTooWideForTheHeapSaysSoInAChildJvm() throws Exception {
    // Valid input: a three-row table. What does not fit is the model: two hidden layers of 20,000
    // units hold 400 million weights (1.6 GB) in a 64 MB heap.
    Path csv = Files.writeString(dir.resolve("tiny.csv"), "a,b,label\n1,2,x\n3,4,y\n5,6,x\n");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                DnnCommand.class.getName(),
                "train",
                "--backend",
                "cpu",
                "--csv",
                csv.toString(),
                "--label",
                "label",
                "--hidden",
                "20000,20000",
                "--epochs",
                "1")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child JVM did not end");
    assertEquals(ErrorHandler.USER_ERROR, process.exitValue(), err);
    List<String> lines = err.lines().filter(l -> !l.startsWith("[")).toList();
    assertEquals(1, lines.size(), err);
    assertTrue(lines.get(0).startsWith("dnn train: out of memory on "), err);
    assertTrue(lines.get(0).contains(csv.toString()), err);
    assertTrue(lines.get(0).matches(".*at most \\d+ MB of heap.*"), err);
    assertFalse(err.contains("\tat "), "no stack trace: " + err);
  }
}
