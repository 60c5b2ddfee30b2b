package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test class path in a JVM of its own, for what the test JVM's history
 * would change: what the JIT has compiled, or given up on, after the other tests.
 */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * The lines {@code main} printed, run with {@code options} before the class and {@code args}
   * after it; fails the test if the JVM does not end within 240 s or exits with an error.
   */
  static List<String> run(
      Path scratch, String name, List<String> options, Class<?> main, String... args)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = scratch.resolve(name + ".out");
    Path err = scratch.resolve(name + ".err");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(options);
    command.addAll(
        List.of(
            "--add-modules",
            "jdk.incubator.vector",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName()));
    command.addAll(List.of(args));
    Process child =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    boolean done = child.waitFor(240, TimeUnit.SECONDS);
    if (!done) {
      child.destroyForcibly();
    }
    String errors = Files.readString(err, StandardCharsets.UTF_8);
    assertTrue(done, name + " child JVM did not finish in 240 s");
    assertEquals(0, child.exitValue(), name + " child JVM failed: " + errors);
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }
}
