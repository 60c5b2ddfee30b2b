package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.io.MalformedFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  private static final byte[] PIXELS = {0, 1, 2, (byte) 255, 4, 5, 6, 7, 8, 9, 10, 11};

  @Test
  void readsRawAndGzipAlike() throws IOException {
    byte[] raw = IdxFiles.idx(PIXELS, 2, 2, 3);
    Path plain = Files.write(dir.resolve("images"), raw);
    // The name says nothing: compression is recognized by its magic.
    Path gz = Files.write(dir.resolve("images.bin"), IdxFiles.gzip(raw));
    for (Path file : new Path[] {plain, gz}) {
      IdxArray a = IdxReader.readImages(file);
      assertArrayEquals(new int[] {2, 2, 3}, a.dims());
      assertArrayEquals(PIXELS, a.data());
      assertEquals(255, a.value(3));
    }
  }

  @Test
  void joinsImagesAndLabelsScalingPixels() throws IOException {
    Path images = Files.write(dir.resolve("i"), IdxFiles.idx(PIXELS, 2, 2, 3));
    Path labels = Files.write(dir.resolve("l"), IdxFiles.idx(new byte[] {7, 2}, 2));
    DataSet d = IdxReader.readDataSet(images, labels, 10);
    assertEquals(2, d.size());
    assertEquals(6, d.featureCount());
    assertEquals(1f, d.featuresView()[3]);
    assertEquals(2 / 255f, d.featuresView()[2]);
    assertArrayEquals(new int[] {7, 2}, d.labels());
  }

  @Test
  void bundledTestSplitIsComplete() throws IOException {
    byte[] rawLabels = IdxFiles.gunzip(IdxFiles.resource("t10k-labels-idx1-ubyte.gz"));
    IdxArray images =
        IdxReader.read(
            new ByteArrayInputStream(IdxFiles.resource("t10k-images-idx3-ubyte.gz")), "images");
    IdxArray labels = IdxReader.read(new ByteArrayInputStream(rawLabels), "labels");
    assertArrayEquals(new int[] {10_000, 28, 28}, images.dims());
    assertArrayEquals(new int[] {10_000}, labels.dims());
    // The first label straight from the file bytes (after the 8-byte header).
    assertEquals(rawLabels[8], labels.data()[0]);
    DataSet d = IdxReader.toDataSet(images, labels, 10);
    int[] perClass = new int[10];
    for (int y : d.labels()) {
      perClass[y]++;
    }
    // Fashion-MNIST's test split is balanced: 1,000 images per class.
    int[] expected = new int[10];
    Arrays.fill(expected, 1000);
    assertArrayEquals(expected, perClass);
  }

  @Test
  void rejectsBadMagicNamingFileAndOffset() throws IOException {
    byte[] raw = IdxFiles.idx(PIXELS, 12);
    raw[1] = 1;
    Path file = Files.write(dir.resolve("bad-magic"), raw);
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> IdxReader.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("byte offset 0"), e.getMessage());
  }

  @Test
  void rejectsUnsupportedType() throws IOException {
    byte[] raw = IdxFiles.idx(PIXELS, 12);
    raw[2] = 0x0D;
    Path file = Files.write(dir.resolve("float"), raw);
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> IdxReader.read(file));
    assertTrue(e.getMessage().contains("0x0d"), e.getMessage());
  }

  @Test
  void rejectsDeclaredSizeLargerThanData() throws IOException {
    byte[] raw = IdxFiles.idx(PIXELS, 2, 2, 3);
    Path file = Files.write(dir.resolve("short"), Arrays.copyOf(raw, raw.length - 5));
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> IdxReader.read(file));
    assertTrue(e.getMessage().contains("byte offset " + (raw.length - 5)), e.getMessage());
  }

  @Test
  void rejectsHugeDeclaredSizeWithoutAllocatingIt() throws IOException {
    // 60000 x 2^15 x 2^15 would be far beyond the heap.
    Path file = Files.write(dir.resolve("huge"), IdxFiles.idx(PIXELS, 1 << 15, 1 << 15, 1));
    assertThrows(MalformedFileException.class, () -> IdxReader.read(file));
    Path gz =
        Files.write(dir.resolve("huge.gz"), IdxFiles.gzip(IdxFiles.idx(PIXELS, 1 << 30, 1, 1)));
    MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.read(gz));
    assertTrue(e.getMessage().contains("file ends after 12"), e.getMessage());
  }

  @Test
  void rejectsTrailingBytes() throws IOException {
    byte[] raw = IdxFiles.idx(PIXELS, 2, 2, 3);
    Path file = Files.write(dir.resolve("long"), Arrays.copyOf(raw, raw.length + 1));
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> IdxReader.read(file));
    assertTrue(e.getMessage().contains("byte offset " + raw.length), e.getMessage());
  }

  @Test
  void rejectsMismatchedCountsAndRanks() throws IOException {
    Path images = Files.write(dir.resolve("i"), IdxFiles.idx(PIXELS, 2, 2, 3));
    Path threeLabels = Files.write(dir.resolve("l3"), IdxFiles.idx(new byte[] {1, 2, 3}, 3));
    MalformedFileException e =
        assertThrows(
            MalformedFileException.class, () -> IdxReader.readDataSet(images, threeLabels, 10));
    assertTrue(e.getMessage().contains(threeLabels.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
    assertThrows(MalformedFileException.class, () -> IdxReader.readDataSet(images, images, 10));
  }

  @Test
  void rejectsLabelOutOfRangeAtItsOffset() throws IOException {
    Path images = Files.write(dir.resolve("i"), IdxFiles.idx(PIXELS, 2, 2, 3));
    Path labels = Files.write(dir.resolve("l"), IdxFiles.idx(new byte[] {1, 12}, 2));
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> IdxReader.readDataSet(images, labels, 10));
    assertTrue(e.getMessage().contains("byte offset 9"), e.getMessage());
  }

  @Test
  void rejectsTruncatedHeader() throws IOException {
    Path file = Files.write(dir.resolve("stub"), new byte[] {0, 0, 8});
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> IdxReader.read(file));
    assertTrue(e.getMessage().contains("header"), e.getMessage());
  }

  @Test
  void reportsCorruptCompressedDataWithFileAndPosition() throws IOException {
    byte[] gz = IdxFiles.gzip(IdxFiles.idx(PIXELS, 2, 2, 3));
    gz[gz.length - 5] ^= 0x10; // inside the CRC-32/size trailer
    Path file = Files.write(dir.resolve("crc.gz"), gz);
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> IdxReader.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("compressed bytes"), e.getMessage());
  }
}
