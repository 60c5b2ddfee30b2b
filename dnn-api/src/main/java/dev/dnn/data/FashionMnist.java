package dev.dnn.data;

import dev.dnn.io.MalformedFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fashion-MNIST data set (Xiao, Rasul and Vollgraf, 2017): 28 x 28 grey images of clothing in
 * 10 classes, pixels scaled to [0, 1]. Loaded from a directory holding the four IDX files ({@code
 * train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code
 * t10k-labels-idx1-ubyte}, each raw or with {@code .gz}), or, without one, from the 10,000-image
 * test split bundled in this jar (MIT license, beside the files).
 *
 * <p>Immutable and safe to share between threads; the static methods may be called from any thread.
 */
public final class FashionMnist {
  /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /**
   * System property naming the directory {@link #load()} looks in instead of {@link
   * #DEFAULT_DIRECTORY}; the build's tests point it at an empty folder so that what is installed on
   * a machine never changes their data.
   */
  public static final String DIRECTORY_PROPERTY = "dnn.fashionMnist.directory";

  /** The class names, by label. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** Classes: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Boot. */
  public static final int CLASS_COUNT = 10;

  /** Image width and height in pixels. */
  public static final int SIDE = 28;

  private static final Logger LOG = LoggerFactory.getLogger(FashionMnist.class);
  private static final String RESOURCE_DIR = "/dev/dnn/data/fashion-mnist/";

  private final DataSet train;
  private final DataSet test;
  private final String source;

  private FashionMnist(DataSet train, DataSet test, String source) {
    this.train = train;
    this.test = test;
    this.source = source;
  }

  /**
   * Where {@link #load()} looks for the files: the directory the system property {@value
   * #DIRECTORY_PROPERTY} names, else {@link #DEFAULT_DIRECTORY}.
   */
  public static Path defaultDirectory() {
    String configured = System.getProperty(DIRECTORY_PROPERTY);
    return configured == null || configured.isBlank() ? DEFAULT_DIRECTORY : Path.of(configured);
  }

  /** Loads from {@link #defaultDirectory()} if it holds the files, else the bundled test split. */
  public static FashionMnist load() throws IOException {
    return load(Optional.empty());
  }

  /**
   * Loads from {@code dataDir} if given (an error if the files are not there), else from {@link
   * #defaultDirectory()} if it holds the files, else the bundled test split. Logs which.
   */
  public static FashionMnist load(Optional<Path> dataDir) throws IOException {
    FashionMnist data;
    if (dataDir.isPresent()) {
      data = fromDirectory(dataDir.get());
    } else if (hasFiles(defaultDirectory())) {
      data = fromDirectory(defaultDirectory());
    } else {
      data = bundledTestSplit();
    }
    LOG.info("Fashion-MNIST: {}", data.source());
    return data;
  }

  /** Whether {@code dir} holds all four files (raw or gzip). */
  public static boolean hasFiles(Path dir) {
    for (String name : fileNames()) {
      if (find(dir, name).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Loads the full set (60,000 training and 10,000 test images) from a directory. */
  public static FashionMnist fromDirectory(Path dir) throws IOException {
    String[] names = fileNames();
    Path[] files = new Path[4];
    for (int i = 0; i < 4; i++) {
      files[i] =
          find(dir, names[i])
              .orElseThrow(
                  () ->
                      new IOException(
                          "Fashion-MNIST directory "
                              + dir
                              + " lacks "
                              + String.join(", ", names)
                              + " (raw or .gz)"));
    }
    // The headers first: a file of the wrong shape is refused before any file is inflated.
    checkImageSize(IdxReader.requireRank(IdxReader.readHeader(files[0]), 3));
    checkImageSize(IdxReader.requireRank(IdxReader.readHeader(files[2]), 3));
    DataSet train;
    DataSet test;
    try {
      train = IdxReader.readDataSet(files[0], files[1], CLASS_COUNT);
      test = IdxReader.readDataSet(files[2], files[3], CLASS_COUNT);
    } catch (OutOfMemoryError e) {
      // The budget is checked per file; the heap can still run out holding both splits at once.
      throw new InputTooLargeException(
          dir.toString(),
          "Fashion-MNIST files",
          "the training and test images do not fit in the heap (maximum "
              + MemoryBudget.format(Runtime.getRuntime().maxMemory())
              + ", set with -Xmx)");
    }
    return new FashionMnist(
        train,
        test,
        "directory "
            + dir.toAbsolutePath()
            + " ("
            + train.size()
            + " training, "
            + test.size()
            + " test images)");
  }

  /** Loads the 10,000-image test split bundled in this jar; there is no training split. */
  public static FashionMnist bundledTestSplit() throws IOException {
    IdxArray images = resource("t10k-images-idx3-ubyte.gz");
    IdxArray labels = resource("t10k-labels-idx1-ubyte.gz");
    DataSet test = IdxReader.toDataSet(images, labels, CLASS_COUNT);
    return new FashionMnist(
        null,
        test,
        "bundled test split (" + test.size() + " images, classpath " + RESOURCE_DIR + ")");
  }

  /** The 60,000 training images, absent when only the bundled test split was loaded. */
  public Optional<DataSet> train() {
    return Optional.ofNullable(train);
  }

  /** The 10,000 test images. */
  public DataSet test() {
    return test;
  }

  /** Where the data came from, in words (a directory, or the bundled split). */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "FashionMnist[" + source + "]";
  }

  private static String[] fileNames() {
    return new String[] {
      "train-images-idx3-ubyte",
      "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte"
    };
  }

  private static Optional<Path> find(Path dir, String name) {
    for (String candidate : new String[] {name + ".gz", name}) {
      Path file = dir.resolve(candidate);
      if (Files.isRegularFile(file)) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  private static IdxArray resource(String name) throws IOException {
    String path = RESOURCE_DIR + name;
    try (InputStream in = FashionMnist.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("resource " + path + " is missing from the class path");
      }
      return IdxReader.read(in, "classpath:" + path);
    }
  }

  private static void checkImageSize(IdxHeader images) throws MalformedFileException {
    int[] dims = images.dims();
    if (dims[1] != SIDE || dims[2] != SIDE) {
      throw MalformedFileException.atOffset(
          images.source(),
          8,
          "Fashion-MNIST images are "
              + SIDE
              + " x "
              + SIDE
              + ", found "
              + dims[1]
              + " x "
              + dims[2]);
    }
  }
}
