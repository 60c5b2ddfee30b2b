package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a file declares is compared with what it holds and with the heap before allocating. */
class InputBudgetTest {
  @TempDir Path dir;

  // 2,739,000 images of 28 x 28: 2.1 GB of bytes, 8.6 GB more as float32.
  private static final int IMAGES = 2_739_000;

  @BeforeAll
  static void heapIsTheBuilds() {
    // The build runs tests with -Xmx4g; the cases below declare more than twice that.
    assertTrue(
        Runtime.getRuntime().maxMemory() < 5L * IMAGES * 28 * 28,
        "these cases need a heap below 10.7 GB");
  }

  @Test
  void imagesDeclaringMoreThanTheHeapAreRefusedFromTheHeader() throws IOException {
    // A few bytes of data after the header: only the header may be read before refusing.
    byte[] header = IdxFiles.idx(new byte[16], IMAGES, 28, 28);
    Path images = Files.write(dir.resolve("images.gz"), IdxFiles.gzip(header));
    Path labels =
        Files.write(dir.resolve("labels.gz"), IdxFiles.gzip(IdxFiles.idx(new byte[16], IMAGES)));
    InputTooLargeException e =
        assertThrows(InputTooLargeException.class, () -> IdxReader.readDataSet(images, labels, 10));
    assertTrue(
        e.getMessage().startsWith(images + " (byte offset 4): the 2739000 images"), e.getMessage());
    assertTrue(e.getMessage().contains("need 10.8 GB"), e.getMessage());
    assertTrue(e.getMessage().contains("set with -Xmx"), e.getMessage());
  }

  @Test
  void imageAndLabelCountsAreComparedFromTheHeadersFirst() throws IOException {
    // Images whose data is cut short: before, reading them failed first, after inflating them.
    byte[] images = IdxFiles.idx(new byte[5 * 28 * 28], 1000, 28, 28);
    Path imageFile = Files.write(dir.resolve("images"), images);
    Path labels = Files.write(dir.resolve("labels"), IdxFiles.idx(new byte[999], 999));
    MalformedFileException e =
        assertThrows(
            MalformedFileException.class, () -> IdxReader.readDataSet(imageFile, labels, 10));
    assertTrue(e.getMessage().contains("999 labels do not match the 1000 images"), e.getMessage());
  }

  @Test
  void aRawFileIsMeasuredAgainstItsHeaderBeforeReading() throws IOException {
    Path file = Files.write(dir.resolve("raw"), IdxFiles.idx(new byte[10], 2, 2, 3));
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> IdxReader.read(file));
    assertTrue(e.getMessage().contains("declare 12 bytes of data but the file ends after 10"));
  }

  @Test
  void theHeaderAloneSaysWhatAFileDeclares() throws IOException {
    byte[] header =
        IdxFiles.idx(
            new byte[0], 46340, 46340); // 2.147e9 values (the most an array holds), none present
    IdxHeader read = IdxReader.readHeader(Files.write(dir.resolve("h.gz"), IdxFiles.gzip(header)));
    assertEquals(46340L * 46340, read.valueCount());
    assertEquals(12, read.dataOffset());
  }

  @Test
  void heapBudgetMessageNamesTheLimit() {
    InputTooLargeException e =
        assertThrows(
            InputTooLargeException.class,
            () -> MemoryBudget.require(Long.MAX_VALUE / 2, "f.csv", "line 9", "the values"));
    assertTrue(e.getMessage().startsWith("f.csv (line 9): the values need "), e.getMessage());
    assertEquals("f.csv", e.file());
    assertEquals("2.1 GB", MemoryBudget.format(2_147_376_000L));
    assertEquals("340 MB", MemoryBudget.format(340_000_000L));
  }

  /** An endless stream of one character. */
  private static Reader endless(char c) {
    return new Reader() {
      @Override
      public int read(char[] buffer, int off, int len) {
        Arrays.fill(buffer, off, off + len, c);
        return len;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void aLineWithoutEndIsRefusedAtTheCapNotGathered() {
    // Before, the whole line was read into one string: an endless one never returned.
    InputTooLargeException e =
        assertThrows(
            InputTooLargeException.class,
            () -> CsvReader.featuresOnly().readFeatures(endless('1'), "endless.csv"));
    assertTrue(
        e.getMessage().startsWith("endless.csv (line 1): the line is longer than 4194304"),
        e.getMessage());
  }

  @Test
  void linesAndColumnsHaveConfigurableCaps() throws IOException {
    Path file = Files.writeString(dir.resolve("wide.csv"), "1,2\n" + "1,".repeat(20) + "1\n");
    InputTooLargeException line =
        assertThrows(
            InputTooLargeException.class,
            () -> CsvReader.featuresOnly().maxLineLength(30).readFeatures(file));
    assertTrue(
        line.getMessage().contains("(line 2): the line is longer than 30"), line.getMessage());
    InputTooLargeException columns =
        assertThrows(
            InputTooLargeException.class,
            () -> CsvReader.featuresOnly().maxColumns(10).readFeatures(file));
    assertTrue(
        columns.getMessage().contains("(line 2): more than 10 columns"), columns.getMessage());
  }
}
