package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.data.MemoryBudget;
import dev.dnn.io.ModelFile;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs a hostile user gives {@code predict} and {@code train --data}: one line, exit status 2, no
 * stack trace, or the full correct result.
 */
class HostileInputTest {
  @TempDir static Path dir;
  private static Path model;

  @BeforeAll
  static void saveAModelOfThreeInputs() throws IOException {
    model = dir.resolve("model.safetensors");
    try (Backend cpu = Backends.select("cpu");
        Model m = Model.sequential(3, Dense.of(3, 2)).on(cpu, 1)) {
      ModelFile.save(m, null, model);
    }
  }

  private static DnnCommandTest.Outcome predict(Path input) {
    return DnnCommandTest.run(
        "predict", "--backend", "cpu", "--model", model.toString(), "--input", input.toString());
  }

  /** Exit status 2 and one line on stderr that names the file and holds every fragment. */
  private static void refused(DnnCommandTest.Outcome outcome, Path file, String... fragments) {
    assertEquals(ErrorHandler.USER_ERROR, outcome.status(), outcome.err());
    String[] lines =
        outcome.err().lines().filter(l -> !l.startsWith("[INFO]")).toArray(String[]::new);
    assertEquals(1, lines.length, outcome.err());
    assertTrue(lines[0].contains(file.toString()), lines[0]);
    for (String f : fragments) {
      assertTrue(lines[0].contains(f), lines[0]);
    }
    assertFalse(outcome.err().contains("\tat "), "no stack trace: " + outcome.err());
  }

  @Test
  void aByteOrderMarkKeepsEveryRow() throws IOException {
    Path csv = Files.writeString(dir.resolve("bom.csv"), "\uFEFF1,2,3\n4,5,6\n7,8,9\n");
    DnnCommandTest.Outcome outcome = predict(csv);
    assertEquals(0, outcome.status(), outcome.err());
    assertEquals(3, outcome.out().lines().count(), outcome.out());
  }

  @Test
  void aFirstRowWithOneTextFieldIsRefusedNotDropped() throws IOException {
    Path csv = Files.writeString(dir.resolve("mixed.csv"), "1,abc,3\n4,5,6\n");
    refused(predict(csv), csv, "line 1, column 2", "'abc' is not a number");
  }

  @Test
  void aCsvThatIsNotUtf8IsNamedByLineAndColumn() throws IOException {
    Path csv = dir.resolve("latin1.csv");
    Files.write(csv, "1,2,3\n4,\u00e9,6\n".getBytes(StandardCharsets.ISO_8859_1));
    refused(predict(csv), csv, "line 2, column 2", "byte 0xe9 is not valid UTF-8");
  }

  @Test
  void hexadecimalFloatsAreRefusedLikeTheLibraryDoes() throws IOException {
    Path csv = Files.writeString(dir.resolve("hex.csv"), "1,2,3\n0x1p3,5,6\n");
    refused(predict(csv), csv, "line 2, column 1", "'0x1p3' is not a number");
  }

  @Test
  void aLineBeyondTheCapIsRefusedWithoutReadingIt() throws IOException {
    Path csv = dir.resolve("long.csv");
    Files.writeString(csv, "1".repeat(4_400_000) + "\n");
    refused(predict(csv), csv, "line 1", "longer than 4194304 characters");
    // Fields are counted as they come: 2.2 million are refused at the column cap, long before the
    // line's end, so they are never gathered into strings.
    Files.writeString(csv, "1,".repeat(2_200_000) + "1\n");
    refused(predict(csv), csv, "line 1", "more than 131072 columns");
  }

  /** A gzip IDX file whose header declares {@code dims} and holds only a few bytes of values. */
  private static Path idx(String name, int... dims) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
      out.writeInt(0x0800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(new byte[64]);
    }
    return file;
  }

  /** Skips unless this JVM's heap is below what the declared data would need. */
  private static void assumeHeapBelow(long bytes) {
    long heap = Runtime.getRuntime().maxMemory();
    assumeTrue(
        heap < bytes,
        "the premise is a heap below "
            + MemoryBudget.format(bytes)
            + ", this JVM may use "
            + MemoryBudget.format(heap));
  }

  @Test
  void imagesDeclaringMoreThanTheHeapAreRefusedFromTheHeader() throws IOException {
    // 700 million examples of 3 values: 2.1 GB as bytes, 8.4 GB more as float32.
    assumeHeapBelow(5L * 700_000_000 * 3);
    Path images = idx("huge-idx3-ubyte.gz", 700_000_000, 1, 3);
    refused(predict(images), images, "byte offset 4", "need 10.5 GB", "-Xmx");
  }

  @Test
  void aFashionMnistDirectoryDeclaringMoreThanTheHeapIsRefusedBeforeInflating() throws IOException {
    // Headers that agree: 2,739,000 images of 28 x 28 and as many labels, 2.1 GB as bytes and
    // 8.6 GB more as float32; each file holds 64 bytes, so only the headers can be the reason.
    long declared = 5L * 2_739_000 * (28 * 28 + 1);
    assumeHeapBelow(declared);
    Path data = Files.createDirectories(dir.resolve("fashion-large"));
    Path images = idx("fashion-large/train-images-idx3-ubyte.gz", 2_739_000, 28, 28);
    idx("fashion-large/train-labels-idx1-ubyte.gz", 2_739_000);
    idx("fashion-large/t10k-images-idx3-ubyte.gz", 10, 28, 28);
    idx("fashion-large/t10k-labels-idx1-ubyte.gz", 10);
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run("train", "--backend", "cpu", "--no-progress", "--data", data.toString());
    refused(outcome, images, "byte offset 4", "2739000 images", "need 10.8 GB", "-Xmx");
  }

  @Test
  void aFashionMnistDirectoryWhoseCountsDisagreeIsRefusedBeforeInflating() throws IOException {
    Path data = Files.createDirectories(dir.resolve("fashion"));
    Path images = idx("fashion/train-images-idx3-ubyte.gz", 2_739_000, 28, 28);
    idx("fashion/train-labels-idx1-ubyte.gz", 60_000);
    idx("fashion/t10k-images-idx3-ubyte.gz", 10, 28, 28);
    idx("fashion/t10k-labels-idx1-ubyte.gz", 10);
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run("train", "--backend", "cpu", "--no-progress", "--data", data.toString());
    // The counts, from the headers, disagree: found before any image is inflated (the images
    // file holds 64 bytes, far fewer than it declares).
    refused(outcome, images, "60000 labels do not match the 2739000 images");
  }
}
