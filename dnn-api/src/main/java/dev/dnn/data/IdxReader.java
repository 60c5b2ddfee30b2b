package dev.dnn.data;

import dev.dnn.io.MalformedFileException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST ({@code idx3} images,
 * {@code idx1} labels), raw or gzip-compressed (recognized by the gzip magic, not the file name).
 *
 * <p>Layout: two zero bytes, a type byte ({@code 0x08}, unsigned byte), the number of dimensions,
 * then each dimension as a big-endian 32-bit integer, then the values. Every part is checked; the
 * declared size must equal the bytes present exactly: for a raw file it is compared with the file's
 * size before reading, and for every file with the heap left ({@link MemoryBudget}); memory is only
 * allocated for bytes actually read. Offsets in messages count decompressed bytes for gzip files.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class IdxReader {
  private static final int TYPE_UNSIGNED_BYTE = 0x08;
  private static final int MAX_DIMS = 8;

  private IdxReader() {}

  /** What a reader does with the decompressed stream. */
  @FunctionalInterface
  private interface Body<T> {
    T read(InputStream in, boolean gzip) throws IOException;
  }

  /**
   * Reads an IDX file of any rank. The declared size is checked against the file's size (raw files)
   * and against the heap ({@link MemoryBudget}) before the values are read.
   */
  public static IdxArray read(Path file) throws IOException {
    long fileSize = Files.size(file);
    try (InputStream in = Files.newInputStream(file)) {
      return decompressed(
          in, file.toString(), (s, gzip) -> parse(s, file.toString(), gzip ? -1 : fileSize));
    }
  }

  /**
   * Reads an IDX stream of any rank, raw or gzip-compressed; does not close it.
   *
   * @param source the name used in messages
   * @throws MalformedFileException if the content breaks the format
   * @throws InputTooLargeException if the declared values do not fit in the heap
   */
  public static IdxArray read(InputStream raw, String source) throws IOException {
    return decompressed(raw, source, (s, gzip) -> parse(s, source, -1));
  }

  /**
   * Reads only the header of an IDX file (a few bytes, decompressed if need be): what it declares,
   * to be checked before its values are read.
   */
  public static IdxHeader readHeader(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return decompressed(
          in, file.toString(), (s, gzip) -> parseHeader(new DataInputStream(s), file.toString()));
    }
  }

  private static <T> T decompressed(InputStream raw, String source, Body<T> body)
      throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    CountingInputStream counted = new CountingInputStream(buffered);
    try {
      InputStream in = gzip ? new GZIPInputStream(counted, 1 << 16) : counted;
      return body.read(in, gzip);
    } catch (ZipException | EOFException e) {
      // Corrupt or truncated compressed data, reported by the inflater (which reads ahead).
      throw new MalformedFileException(
          source,
          "gzip data, within the first " + counted.count + " compressed bytes",
          "cannot be decompressed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          e);
    }
  }

  /** Reads images: an IDX file of rank 3 (count, rows, columns). */
  public static IdxArray readImages(Path file) throws IOException {
    requireRank(readHeader(file), 3);
    return requireRank(read(file), 3);
  }

  /** Reads labels: an IDX file of rank 1. */
  public static IdxArray readLabels(Path file) throws IOException {
    requireRank(readHeader(file), 1);
    return requireRank(read(file), 1);
  }

  /**
   * Reads an image file and a label file into a classification data set, pixels scaled to [0, 1].
   * Both headers are read first: the counts are compared, and the memory the data set needs (bytes
   * as read, then float32) is checked against the heap, before any value is read.
   *
   * @param classCount labels must lie in [0, classCount)
   */
  public static DataSet readDataSet(Path images, Path labels, int classCount) throws IOException {
    IdxHeader imageHeader = requireRank(readHeader(images), 3);
    IdxHeader labelHeader = requireRank(readHeader(labels), 1);
    int count = imageHeader.dims()[0];
    checkCounts(labelHeader.dims()[0], count, labelHeader.source(), imageHeader.source());
    MemoryBudget.require(
        5 * (imageHeader.valueCount() + labelHeader.valueCount()),
        imageHeader.source(),
        "byte offset 4",
        "the "
            + count
            + " images of dimensions "
            + Arrays.toString(imageHeader.dims())
            + " and their labels, as bytes and then as float32,");
    return toDataSet(readImages(images), readLabels(labels), classCount);
  }

  /** Checks the rank of an array read from an IDX file. */
  public static IdxArray requireRank(IdxArray array, int rank) throws MalformedFileException {
    requireRank(array.source(), array.dims().length, rank);
    return array;
  }

  /** Checks the rank an IDX header declares. */
  public static IdxHeader requireRank(IdxHeader header, int rank) throws MalformedFileException {
    requireRank(header.source(), header.dims().length, rank);
    return header;
  }

  private static void requireRank(String source, int found, int rank)
      throws MalformedFileException {
    if (found != rank) {
      throw MalformedFileException.atOffset(
          source,
          3,
          "expected "
              + rank
              + " dimensions ("
              + (rank == 3 ? "images" : rank == 1 ? "labels" : "rank " + rank)
              + "), found "
              + found);
    }
  }

  private static void checkCounts(int labelCount, int imageCount, String labels, String images)
      throws MalformedFileException {
    if (labelCount != imageCount) {
      throw MalformedFileException.atOffset(
          labels,
          4,
          labelCount + " labels do not match the " + imageCount + " images of " + images);
    }
  }

  /**
   * Joins images (rank 3) and labels (rank 1) into a data set; pixels are divided by 255.
   *
   * @throws MalformedFileException if the counts differ or a label is not below {@code classCount}
   * @throws InputTooLargeException if the float32 pixels do not fit in the heap
   */
  public static DataSet toDataSet(IdxArray images, IdxArray labels, int classCount)
      throws IOException {
    requireRank(images, 3);
    requireRank(labels, 1);
    int count = images.dims()[0];
    checkCounts(labels.dims()[0], count, labels.source(), images.source());
    int featureCount = images.dims()[1] * images.dims()[2];
    if (featureCount == 0) {
      throw MalformedFileException.atOffset(
          images.source(), 8, "images have zero pixels " + Arrays.toString(images.dims()));
    }
    int[] y = new int[count];
    for (int i = 0; i < count; i++) {
      y[i] = labels.value(i);
      if (y[i] >= classCount) {
        throw MalformedFileException.atOffset(
            labels.source(),
            8 + i,
            "label " + y[i] + " of example " + i + " is not below " + classCount);
      }
    }
    return DataSet.classification(scaledPixels(images), featureCount, y, classCount);
  }

  /**
   * The values of {@code array} divided by 255, as float32 (the heap is checked first).
   *
   * @throws InputTooLargeException if they do not fit in the heap
   */
  public static float[] scaledPixels(IdxArray array) throws InputTooLargeException {
    byte[] pixels = array.data();
    MemoryBudget.require(
        4L * pixels.length,
        array.source(),
        "byte offset 4",
        "the " + pixels.length + " values of " + Arrays.toString(array.dims()) + " as float32");
    float[] x = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      x[i] = (pixels[i] & 0xFF) / 255f;
    }
    return x;
  }

  private static IdxHeader parseHeader(DataInputStream data, String source) throws IOException {
    byte[] magic = readHeader(data, 4, 0, source);
    if (magic[0] != 0 || magic[1] != 0) {
      throw MalformedFileException.atOffset(
          source,
          0,
          String.format(
              "bad magic %02x %02x: an IDX file starts with two zero bytes",
              magic[0] & 0xFF, magic[1] & 0xFF));
    }
    if ((magic[2] & 0xFF) != TYPE_UNSIGNED_BYTE) {
      throw MalformedFileException.atOffset(
          source,
          2,
          String.format(
              "data type 0x%02x is not supported; only 0x08 (unsigned byte) is", magic[2] & 0xFF));
    }
    int rank = magic[3] & 0xFF;
    if (rank < 1 || rank > MAX_DIMS) {
      throw MalformedFileException.atOffset(
          source, 3, "number of dimensions " + rank + " is outside [1, " + MAX_DIMS + "]");
    }
    byte[] dimBytes = readHeader(data, 4 * rank, 4, source);
    int[] dims = new int[rank];
    long size = 1;
    for (int i = 0; i < rank; i++) {
      int d =
          (dimBytes[4 * i] & 0xFF) << 24
              | (dimBytes[4 * i + 1] & 0xFF) << 16
              | (dimBytes[4 * i + 2] & 0xFF) << 8
              | (dimBytes[4 * i + 3] & 0xFF);
      if (d < 0) {
        throw MalformedFileException.atOffset(
            source, 4 + 4L * i, "dimension " + i + " is negative: " + d);
      }
      dims[i] = d;
      size *= d;
      if (size > Integer.MAX_VALUE - 8) {
        throw MalformedFileException.atOffset(
            source,
            4 + 4L * i,
            "dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + " exceed 2^31 values");
      }
    }
    return new IdxHeader(source, dims);
  }

  /**
   * Reads header and values. {@code fileSize} is the raw file's length, or -1 when unknown (a
   * stream, or compressed data): then the values are read as they arrive, and only the heap check
   * guards what the header declares.
   */
  private static IdxArray parse(InputStream in, String source, long fileSize) throws IOException {
    DataInputStream data = new DataInputStream(in);
    IdxHeader header = parseHeader(data, source);
    int[] dims = header.dims();
    long size = header.valueCount();
    long dataStart = header.dataOffset();
    if (fileSize >= 0) {
      // A raw file's length says what it holds: compare before reading a byte of data.
      checkDataLength(source, dims, size, dataStart, fileSize - dataStart);
    }
    MemoryBudget.require(
        size,
        source,
        "byte offset 4",
        "the " + size + " values declared by dimensions " + Arrays.toString(dims));
    // readNBytes grows its buffer as bytes arrive: a false size costs nothing.
    byte[] values = data.readNBytes((int) size);
    checkDataLength(source, dims, size, dataStart, values.length + (data.read() != -1 ? 1L : 0L));
    return new IdxArray(source, dims, values);
  }

  /** Checks that {@code present} bytes of data (after the header) are what {@code dims} declare. */
  private static void checkDataLength(
      String source, int[] dims, long size, long dataStart, long present)
      throws MalformedFileException {
    if (present < size) {
      throw MalformedFileException.atOffset(
          source,
          dataStart + Math.max(0, present),
          "dimensions "
              + Arrays.toString(dims)
              + " declare "
              + size
              + " bytes of data but the file ends after "
              + Math.max(0, present));
    }
    if (present > size) {
      throw MalformedFileException.atOffset(
          source,
          dataStart + size,
          "unexpected bytes after the "
              + size
              + " declared by dimensions "
              + Arrays.toString(dims));
    }
  }

  private static byte[] readHeader(DataInputStream in, int n, long offset, String source)
      throws IOException {
    byte[] bytes = new byte[n];
    try {
      in.readFully(bytes);
    } catch (EOFException e) {
      throw MalformedFileException.atOffset(source, offset, "file ends inside the header");
    }
    return bytes;
  }

  /** Counts the bytes read through it, to say how far into a compressed file an error lies. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
