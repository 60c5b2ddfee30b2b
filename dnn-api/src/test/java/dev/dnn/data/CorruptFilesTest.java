package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dnn.io.HostArray;
import dev.dnn.io.SafeTensors;
import dev.dnn.io.SafeTensorsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads hundreds of damaged copies of real files (cut short at random points, random bytes changed,
 * seeded) and checks that each read either returns content that passes validation or fails with an
 * {@link IOException} that names the file. Any other outcome (an OutOfMemoryError, an
 * ArrayIndexOutOfBoundsException, a NegativeArraySizeException) fails.
 */
class CorruptFilesTest {
  @TempDir Path dir;

  /** What a reader does with a file; returns normally only with validated content. */
  @FunctionalInterface
  private interface Reader {
    void read(Path file) throws IOException;
  }

  private int succeeded;
  private int rejected;

  /** Reads {@code count} mutants of {@code original}; returns how many were read successfully. */
  private int fuzz(
      String name, byte[] original, int count, int headerBytes, long seed, Reader reader)
      throws IOException {
    Random random = new Random(seed);
    succeeded = 0;
    rejected = 0;
    for (int m = 0; m < count; m++) {
      byte[] bytes = mutate(original, headerBytes, random);
      Path file = Files.write(dir.resolve(name + "-" + m), bytes);
      try {
        reader.read(file);
        succeeded++;
      } catch (IOException e) {
        rejected++;
        assertTrue(
            e.getMessage() != null && e.getMessage().contains(file.toString()),
            "mutant " + m + " of " + name + ": message does not name the file: " + e);
      } catch (Throwable t) {
        fail("mutant " + m + " of " + name + " threw " + t, t);
      }
      Files.delete(file);
    }
    assertEquals(count, succeeded + rejected);
    return succeeded;
  }

  /**
   * Cuts the file at a random point (a third of the time) or changes one to four bytes, half of the
   * time within the first {@code headerBytes} where they are most likely to matter.
   */
  private static byte[] mutate(byte[] original, int headerBytes, Random random) {
    if (random.nextInt(3) == 0) {
      return Arrays.copyOf(original, random.nextInt(original.length));
    }
    byte[] bytes = original.clone();
    int flips = 1 + random.nextInt(4);
    for (int f = 0; f < flips; f++) {
      int at =
          random.nextBoolean()
              ? random.nextInt(Math.min(headerBytes, bytes.length))
              : random.nextInt(bytes.length);
      bytes[at] =
          (byte) (random.nextBoolean() ? bytes[at] ^ (1 << random.nextInt(8)) : random.nextInt());
    }
    return bytes;
  }

  private static void readLabels(Path file) throws IOException {
    IdxArray labels = IdxReader.readLabels(file);
    assertEquals(labels.dims()[0], labels.data().length);
  }

  private static void readImages(Path file) throws IOException {
    IdxArray images = IdxReader.readImages(file);
    int[] d = images.dims();
    assertEquals((long) d[0] * d[1] * d[2], images.data().length);
  }

  @Test
  void gzipIdxFiles() throws IOException {
    byte[] labelsGz = IdxFiles.resource("t10k-labels-idx1-ubyte.gz");
    int ok = fuzz("labels.gz", labelsGz, 120, 32, 1, CorruptFilesTest::readLabels);
    // Changed bytes in compressed data are caught by the CRC; only few mutants survive.
    assertTrue(ok < 60, ok + " of 120 damaged gzip files were accepted");
    // The real image file is 4 MB: a few damaged copies suffice to exercise the large path.
    byte[] imagesGz = IdxFiles.resource("t10k-images-idx3-ubyte.gz");
    fuzz("images.gz", imagesGz, 12, 32, 2, CorruptFilesTest::readImages);
  }

  @Test
  void rawIdxFiles() throws IOException {
    byte[] labels = IdxFiles.gunzip(IdxFiles.resource("t10k-labels-idx1-ubyte.gz"));
    fuzz("labels.idx", labels, 100, 8, 3, CorruptFilesTest::readLabels);
    // The first 100 real images, as their own idx3 file.
    byte[] all = IdxFiles.gunzip(IdxFiles.resource("t10k-images-idx3-ubyte.gz"));
    byte[] images = IdxFiles.idx(Arrays.copyOfRange(all, 16, 16 + 100 * 784), 100, 28, 28);
    fuzz("images.idx", images, 100, 16, 4, CorruptFilesTest::readImages);
  }

  @Test
  void csvFiles() throws IOException {
    DataSet real = FashionMnist.bundledTestSplit().test();
    StringBuilder csv = new StringBuilder("label");
    for (int p = 0; p < 784; p++) {
      csv.append(",p").append(p);
    }
    csv.append('\n');
    for (int i = 0; i < 30; i++) {
      csv.append(real.label(i));
      for (int p = 0; p < 784; p++) {
        csv.append(',').append(Math.round(real.featuresView()[i * 784 + p] * 255));
      }
      csv.append('\n');
    }
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    CsvReader reader = CsvReader.labelColumn("label").classCount(10);
    assertEquals(30, reader.read(Files.write(dir.resolve("ok.csv"), bytes)).size());
    fuzz(
        "data.csv",
        bytes,
        120,
        4000,
        5,
        file -> {
          DataSet d = reader.read(file);
          assertEquals(784, d.featureCount());
          for (float v : d.featuresView()) {
            assertTrue(Float.isFinite(v));
          }
        });
  }

  @Test
  void safetensorsFiles() throws IOException {
    Map<String, HostArray> tensors = new LinkedHashMap<>();
    float[] w = new float[40 * 10];
    for (int i = 0; i < w.length; i++) {
      w[i] = i * 0.01f - 2f;
    }
    tensors.put("0.weight", new HostArray(new int[] {40, 10}, w));
    tensors.put("0.bias", HostArray.vector(new float[10]));
    tensors.put("1.weight", new HostArray(new int[] {10, 3}, Arrays.copyOf(w, 30)));
    Path path = dir.resolve("model.safetensors");
    SafeTensors.write(path, tensors, Map.of("spec", "{\"layers\":[40,10,3]}", "step", "17"));
    byte[] bytes = Files.readAllBytes(path);
    int headerEnd = bytes.length - 4 * (400 + 10 + 30);
    int ok =
        fuzz(
            "model.safetensors",
            bytes,
            200,
            headerEnd,
            6,
            file -> {
              SafeTensorsFile f = SafeTensors.read(file);
              long total = 0;
              for (HostArray a : f.tensors().values()) {
                total += a.size();
              }
              // Whatever the header now says, it accounts for every data byte.
              assertEquals(Files.size(file) - 8 - headerLength(file), total * 4);
            });
    // Flips in the data section leave a valid file: some mutants must pass.
    assertTrue(ok > 0);
    assertArrayEquals(w, SafeTensors.read(path).tensor("0.weight").data(), 0f);
  }

  private static long headerLength(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
  }
}
