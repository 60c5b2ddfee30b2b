package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferCommandTest {
  @TempDir Path dir;

  @Test
  void printsEachSeedAndTheSummaryAndWritesTheReport() throws Exception {
    Path report = dir.resolve("sub").resolve("transfer.md");
    // --data names a directory without the files: a clear error, nothing written.
    DnnCommandTest.Outcome run =
        DnnCommandTest.run(tinyStudy(report, "--data", dir.resolve("none").toString()));
    assertEquals(ErrorHandler.USER_ERROR, run.status(), run.out());
    assertTrue(run.err().contains("dnn transfer:"), run.err());
    assertTrue(Files.notExists(report));

    run = DnnCommandTest.run(tinyStudy(report));
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("Source classes [0, 2], target classes [1, 3, 4]"), run.out());
    assertTrue(run.out().contains("seed 100, 2 per class"), run.out());
    assertTrue(run.out().contains("seed 101, 2 per class"), run.out());
    String written = Files.readString(report);
    assertTrue(written.contains("| Examples per class |"), written);
    assertTrue(written.contains("/2 |"), written);
  }

  /** A study small enough for a unit test: two seeds, one budget, an 8-unit network. */
  private static String[] tinyStudy(Path report, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "transfer",
                "--backend",
                "cpu",
                "--source",
                "0,2",
                "--target",
                "1,3-4",
                "--hidden",
                "8",
                "--pretrain-epochs",
                "1",
                "--epochs",
                "1",
                "--per-class",
                "2",
                "--seeds",
                "2",
                "--held-out",
                "50",
                "--out",
                report.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void overlappingClassesAreAUserError() {
    DnnCommandTest.Outcome run =
        DnnCommandTest.run("transfer", "--backend", "cpu", "--source", "0-5", "--target", "5-9");
    assertEquals(ErrorHandler.USER_ERROR, run.status());
    assertTrue(run.err().contains("class 5 is both a source and a target class"), run.err());
  }

  @Test
  void classListsTakeNumbersAndRanges() {
    assertArrayEquals(new int[] {0, 3, 4, 5}, TransferCommand.classes("--source", "0,3-5"));
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> TransferCommand.classes("--target", "5-x"));
    assertTrue(bad.getMessage().contains("--target: expected classes such as 0-4"));
    assertThrows(IllegalArgumentException.class, () -> TransferCommand.classes("--target", "4-2"));
  }
}
