package dev.dnn.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.cli.report.TransferTable;
import dev.dnn.data.FashionMnist;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transfer-learning claim, measured: a network pretrained on Fashion-MNIST classes 0-4 keeps
 * its first hidden layer, trains a new head on 20 examples per class of classes 5-9 with that layer
 * frozen, then fine-tunes everything; it beats the same network trained from scratch on the same
 * 100 examples, batches and steps, on 2,000 held-out images, on average over 20 seeds, by more than
 * 1.645 standard errors of the paired difference (a one-sided 5% test).
 *
 * <p>The effect is small and the budget matters, so the figures that led here are stated in full
 * ({@code ./dnn transfer}, bundled data, CPU). At 20 per class, three independent seed sets gave
 * +1.42 ± 0.38 points (seeds 100-107), +0.35 ± 0.21 (200-211) and, fixed before it was run as this
 * test's seed set, +0.66 ± 0.26 (400-419, 12 of 20 ahead). At 5 per class and below the transfer is
 * 2-6 points behind, at 100 per class level with scratch. Runs on the CPU only: this tests the
 * method, not a backend, and the CPU backend repeats it to the bit on one kernel path.
 *
 * <p>Which kernel path runs depends on the processor (vector width) and the JVM, and the paths
 * round differently, so the seeds' outcomes differ in the last images. The build runs this test on
 * each path (dnn-cli/pom.xml: the default run on the widest vectors, then plain Java, 128 and 256
 * bits), and the verdict holds on all: on an AVX-512 machine 512 bits gave +0.68 ± 0.24 points,
 * plain Java +0.66 ± 0.26, 128 and 256 bits +0.63 ± 0.25, each at least 0.21 points (0.88 standard
 * errors) above the 1.645 standard errors required. The figures and the path are printed.
 */
class TransferAdvantageTest {
  @Test
  void transferBeatsScratchOnTwentyExamplesPerClass() throws IOException {
    FashionMnist fashion = FashionMnist.bundledTestSplit();
    TransferStudy.Config config =
        new TransferStudy.Config(
            new int[] {0, 1, 2, 3, 4},
            new int[] {5, 6, 7, 8, 9},
            new int[] {256, 128},
            ActivationKind.RELU,
            1,
            10,
            new int[] {20},
            20,
            400,
            30,
            1e-3,
            3e-4,
            32,
            2000);
    List<TransferStudy.Outcome> outcomes;
    String kernels;
    try (Backend cpu = Backends.select("cpu")) {
      kernels = cpu.description();
      outcomes =
          TransferStudy.run(
              config,
              cpu,
              new TransferStudy.Data(fashion.test(), null, fashion.source()),
              outcome -> {});
    }
    TransferTable.Row row = TransferTable.summarize(outcomes).get(0);
    assertEquals(20, row.seeds());
    String figures = "CPU backend: " + kernels + "\n" + TransferTable.of(outcomes).render();
    System.out.println(figures);
    assertTrue(row.advantage() - 1.645 * row.standardError() > 0, figures);
    // The head on the frozen layer alone is not what wins: fine-tuning is.
    assertTrue(row.headOnly() < row.transferred(), figures);
  }
}
