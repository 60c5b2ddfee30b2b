package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dnn.data.MemoryBudget;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
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

  /**
   * The child's standard error once it has ended. A thread drains the stream while this one waits
   * at most {@code seconds}: a child that hangs, or fills the pipe, is killed and fails the test
   * with what it wrote, instead of hanging it.
   */
  static String errorsOf(Process process, long seconds) throws Exception {
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            drain -> {
              Thread thread = new Thread(drain, "child-stderr");
              thread.setDaemon(true);
              thread.start();
            });
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      String partial =
          err.completeOnTimeout("(standard error still open)", 30, TimeUnit.SECONDS).join();
      fail("the child JVM did not end within " + seconds + " s; its standard error: " + partial);
    }
    // Ended: the stream reaches its end, unless a grandchild holds it open.
    try {
      return err.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("the child JVM ended but its standard error stayed open for 30 s");
    }
  }

  @Test
  void aChildThatHangsFailsWithinTheBoundInsteadOfHangingTheTest() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path sleeper = Files.writeString(dir.resolve("Sleep.java"), SLEEPER);
    Process process =
        new ProcessBuilder(java.toString(), sleeper.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> errorsOf(process, 2));
    assertTrue(e.getMessage().contains("did not end within 2 s"), e.getMessage());
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child was killed");
  }

  /** A program that writes one line to standard error and then sleeps for ten minutes. */
  private static final String SLEEPER =
      "class Sleep { public static void main(String[] a) throws Exception {"
          + " System.err.println(\"sleeping\"); Thread.sleep(600_000); } }";

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
    String err = errorsOf(process, 120);
    assertEquals(ErrorHandler.USER_ERROR, process.exitValue(), err);
    List<String> lines = err.lines().filter(l -> !l.startsWith("[")).toList();
    assertEquals(1, lines.size(), err);
    assertTrue(lines.get(0).startsWith("dnn train: out of memory on "), err);
    assertTrue(lines.get(0).contains(csv.toString()), err);
    assertTrue(lines.get(0).matches(".*at most \\d+ MB of heap.*"), err);
    assertFalse(err.contains("\tat "), "no stack trace: " + err);
  }
}
