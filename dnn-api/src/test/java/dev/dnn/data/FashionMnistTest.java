package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
  @TempDir Path dir;

  @Test
  void bundledTestSplitHasTenThousandScaledImages() throws IOException {
    FashionMnist data = FashionMnist.bundledTestSplit();
    assertTrue(data.train().isEmpty());
    DataSet test = data.test();
    assertEquals(10_000, test.size());
    assertEquals(784, test.featureCount());
    assertEquals(10, test.classCount());
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : test.featuresView()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
    byte[] rawLabels = IdxFiles.gunzip(IdxFiles.resource("t10k-labels-idx1-ubyte.gz"));
    assertEquals(rawLabels[8], test.label(0));
    assertTrue(data.source().contains("bundled"), data.source());
  }

  /** Writes a small stand-in for the full set: n images per split, raw or gzip. */
  private void writeSet(int trainCount, int testCount, boolean gzip) throws IOException {
    write(
        "train-images-idx3-ubyte",
        IdxFiles.idx(new byte[trainCount * 784], trainCount, 28, 28),
        gzip);
    write("train-labels-idx1-ubyte", IdxFiles.idx(new byte[trainCount], trainCount), gzip);
    write(
        "t10k-images-idx3-ubyte", IdxFiles.idx(new byte[testCount * 784], testCount, 28, 28), gzip);
    write("t10k-labels-idx1-ubyte", IdxFiles.idx(new byte[testCount], testCount), gzip);
  }

  private void write(String name, byte[] raw, boolean gzip) throws IOException {
    Files.write(dir.resolve(gzip ? name + ".gz" : name), gzip ? IdxFiles.gzip(raw) : raw);
  }

  @Test
  void loadsFromAnExplicitDirectory() throws IOException {
    writeSet(6, 3, true);
    assertTrue(FashionMnist.hasFiles(dir));
    FashionMnist data = FashionMnist.load(Optional.of(dir));
    assertEquals(6, data.train().orElseThrow().size());
    assertEquals(3, data.test().size());
    assertTrue(data.source().contains(dir.toAbsolutePath().toString()), data.source());
  }

  @Test
  void loadsUncompressedFiles() throws IOException {
    writeSet(4, 2, false);
    assertEquals(4, FashionMnist.fromDirectory(dir).train().orElseThrow().size());
  }

  @Test
  void explicitDirectoryWithoutFilesIsAnError() {
    IOException e =
        assertThrows(IOException.class, () -> FashionMnist.load(Optional.of(dir.resolve("none"))));
    assertTrue(e.getMessage().contains("none"), e.getMessage());
  }

  @Test
  void rejectsImagesOfTheWrongSize() throws IOException {
    writeSet(2, 2, false);
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFiles.idx(new byte[2 * 9], 2, 3, 3));
    assertThrows(IOException.class, () -> FashionMnist.fromDirectory(dir));
  }

  @Test
  void withoutFilesInTheDefaultDirectoryFallsBackToTheBundledSplit() throws IOException {
    String before = System.getProperty(FashionMnist.DIRECTORY_PROPERTY);
    System.setProperty(FashionMnist.DIRECTORY_PROPERTY, dir.resolve("empty").toString());
    try {
      FashionMnist data = FashionMnist.load(Optional.empty());
      assertEquals(10_000, data.test().size());
      assertTrue(data.train().isEmpty());
      assertTrue(data.source().startsWith("bundled"), data.source());
    } finally {
      restore(before);
    }
  }

  @Test
  void theDefaultDirectoryIsFoundWhenItHoldsTheFiles() throws IOException {
    writeSet(3, 2, true);
    String before = System.getProperty(FashionMnist.DIRECTORY_PROPERTY);
    System.setProperty(FashionMnist.DIRECTORY_PROPERTY, dir.toString());
    try {
      assertEquals(dir, FashionMnist.defaultDirectory());
      FashionMnist data = FashionMnist.load();
      assertEquals(3, data.train().orElseThrow().size());
      assertEquals(2, data.test().size());
      assertTrue(data.source().contains(dir.toString()), data.source());
    } finally {
      restore(before);
    }
  }

  @Test
  void withoutThePropertyTheDefaultIsDebiansDirectory() {
    String before = System.getProperty(FashionMnist.DIRECTORY_PROPERTY);
    System.clearProperty(FashionMnist.DIRECTORY_PROPERTY);
    try {
      assertEquals(
          java.nio.file.Path.of("/usr/share/datasets/fashion-mnist"),
          FashionMnist.defaultDirectory());
    } finally {
      restore(before);
    }
  }

  private static void restore(String value) {
    if (value == null) {
      System.clearProperty(FashionMnist.DIRECTORY_PROPERTY);
    } else {
      System.setProperty(FashionMnist.DIRECTORY_PROPERTY, value);
    }
  }
}
