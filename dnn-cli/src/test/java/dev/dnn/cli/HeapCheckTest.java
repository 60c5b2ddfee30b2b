package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.cli.run.ExperimentPlan;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunCost;
import dev.dnn.cli.run.Scale;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that cannot fit the heap is refused before its model exists, with the -Xmx to give. */
class HeapCheckTest {
  private static final long GIB = 1L << 30;
  @TempDir Path dir;

  private static RunCost fullDeepTanh() {
    RunConfig deep =
        ExperimentPlan.select(ExperimentPlan.configs(Scale.FULL, 1), List.of("Deep-tanh")).get(0);
    return RunCost.of(deep.withEpochs(1), 784, 10, 8_000, 1_000, 1_000);
  }

  @Test
  void aRunThatFitsPassesAndOneThatDoesNotIsRefusedInOneSentence() {
    RunCost cost = fullDeepTanh();
    // 207,970,010 parameters: 832 MB each for the weights and their gradients.
    assertEquals(4 * 207_970_010L, cost.parameterBytes());
    HeapCheck.require("Deep-tanh on cpu", cost, cost.heapBytes() + GIB, GIB, "experiment");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HeapCheck.require("Deep-tanh on cpu", cost, 2 * GIB, GIB, "experiment"));
    String message = e.getMessage();
    // Buffers: 2 x 512 x (30,784 + 40,000 + 40,000 + 10,030) + 3 x 1,024 x 10,000 floats = 618 MB;
    // with the weights and gradients, 2.28 GB.
    assertEquals(4 * (2 * 512 * 120_814L + 3 * 1_024 * 10_000L), cost.activationBytes());
    assertTrue(message.startsWith("Deep-tanh on cpu needs about 2.3 GB of heap"), message);
    assertTrue(message.contains("207,970,010 parameters 832 MB"), message);
    assertTrue(message.contains("more than the 1.1 GB this JVM has left of its 2.1 GB"), message);
    // 1.25 x (2.28 GB + 1 GiB) = 3.9 GiB: 4 GiB, rounded up.
    long xmx = HeapCheck.suggestedGigabytes(cost.heapBytes(), GIB);
    assertEquals((long) Math.ceil(1.25 * (cost.heapBytes() + GIB) / GIB), xmx);
    assertTrue(message.contains("DNN_JAVA_OPTS=-Xmx" + xmx + "g ./dnn experiment"), message);
    assertEquals(1, HeapCheck.suggestedGigabytes(1, 0));
  }

  @Test
  void theCommandRefusesTheLecturesWidthInASmallHeapBeforeTraining()
      throws IOException, InterruptedException {
    // A JVM of 256 MB: the bundled data fits, the 10,000-wide network does not.
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-Ddnn.fashionMnist.directory=" + dir.resolve("none"),
                "-cp",
                System.getProperty("java.class.path"),
                DnnCommand.class.getName(),
                "experiment",
                "--scale",
                "full",
                "--epochs",
                "1",
                "--only",
                "Deep-tanh",
                "--backend",
                "cpu",
                "--out",
                dir.resolve("out").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), output);
    assertEquals(ErrorHandler.USER_ERROR, p.exitValue(), output);
    assertTrue(output.contains("dnn experiment: Deep-tanh on cpu needs about"), output);
    assertTrue(output.contains("-Xmx") && output.contains("DNN_JAVA_OPTS="), output);
    assertTrue(!output.contains("== Deep-tanh"), "no run started: " + output);
  }
}
