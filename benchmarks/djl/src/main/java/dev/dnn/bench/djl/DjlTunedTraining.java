package dev.dnn.bench.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The PyTorch yardstick at its strongest on the CPU: libtorch 2.7.1 (MKL) through DJL trains the
 * experiment's Tuned network (784-500-250-75-25-10 ReLU, He initialization, Adam 1e-3, batch 512,
 * softmax cross-entropy, the loss read back every step as dnn's trainer does) on the 60,000
 * Fashion-MNIST training images, and prints the samples per second of every epoch. Like the Python
 * yardsticks it first names its engine and measures a 1024^3 SGEMM, and refuses to report below 50
 * GFLOP/s.
 *
 * <p>Arguments: {@code --data DIR} (the four IDX files, gzipped or not), {@code --epochs N}, {@code
 * --threads N}, {@code --batch N}. A command-line program; nothing here is shared between threads.
 */
public final class DjlTunedTraining {
  private static final double FLOOR_GFLOPS = 50;

  private DjlTunedTraining() {}

  /** Runs the yardstick; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException, TranslateException {
    String data = "/usr/share/datasets/fashion-mnist";
    int epochs = 2;
    int threads = 2;
    int batch = 512;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--data" -> data = args[i + 1];
        case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        default ->
            throw new IllegalArgumentException(
                "unknown option " + args[i] + " (--data, --epochs, --threads, --batch)");
      }
    }
    // Read by DJL's PyTorch engine when it starts, so set before the first Engine call.
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Engine engine = Engine.getEngine("PyTorch");
    System.out.println(
        "engine "
            + engine.getEngineName()
            + " "
            + engine.getVersion()
            + " (DJL "
            + Engine.getDjlVersion()
            + "), "
            + threads
            + " threads");
    try (NDManager manager = NDManager.newBaseManager(engine.defaultDevice(), "PyTorch")) {
      double gflops = sgemmGflops(manager);
      System.out.printf(
          Locale.ROOT,
          "SGEMM 1024^3 on cpu, %d threads, best of 10: %.1f GFLOP/s%n",
          threads,
          gflops);
      if (gflops < FLOOR_GFLOPS) {
        System.err.printf(
            Locale.ROOT,
            "refusing to report a yardstick: SGEMM %.1f GFLOP/s is below %.0f GFLOP/s%n",
            gflops,
            FLOOR_GFLOPS);
        System.exit(3);
      }
      train(Path.of(data), epochs, batch, gflops);
    }
  }

  /** The best rate of a 1024 x 1024 x 1024 float32 matmul over ten runs, in GFLOP/s. */
  private static double sgemmGflops(NDManager manager) {
    int n = 1024;
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = scope.randomUniform(0, 1, new Shape(n, n));
      NDArray b = scope.randomUniform(0, 1, new Shape(n, n));
      a.matMul(b).close();
      long best = Long.MAX_VALUE;
      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        a.matMul(b).close();
        best = Math.min(best, System.nanoTime() - start);
      }
      return 2.0 * n * n * n / best;
    }
  }

  private static void train(Path dir, int epochs, int batch, double gflops)
      throws IOException, TranslateException {
    float[] pixels = images(dir.resolve("train-images-idx3-ubyte"));
    float[] labels = labels(dir.resolve("train-labels-idx1-ubyte"));
    int examples = labels.length;
    SequentialBlock net = new SequentialBlock();
    for (int width : new int[] {500, 250, 75, 25}) {
      net.add(Linear.builder().setUnits(width).build()).add(Activation::relu);
    }
    net.add(Linear.builder().setUnits(10).build());
    try (Model model = Model.newInstance("tuned", "PyTorch")) {
      model.setBlock(net);
      NDManager manager = model.getNDManager();
      ArrayDataset dataset =
          new ArrayDataset.Builder()
              .setData(manager.create(pixels, new Shape(examples, 784)))
              .optLabels(manager.create(labels, new Shape(examples)))
              .setSampling(batch, true)
              .build();
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
              .optInitializer(
                  new XavierInitializer(
                      XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
                  Parameter.Type.WEIGHT);
      List<Double> rates = new ArrayList<>();
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(batch, 784));
        for (int epoch = 1; epoch <= epochs; epoch++) {
          long start = System.nanoTime();
          double total = 0;
          int steps = 0;
          for (Batch b : trainer.iterateDataset(dataset)) {
            try (b;
                GradientCollector collector = trainer.newGradientCollector()) {
              NDList out = trainer.forward(b.getData());
              NDArray loss = trainer.getLoss().evaluate(b.getLabels(), out);
              collector.backward(loss);
              total += loss.getFloat();
            }
            trainer.step();
            steps++;
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          rates.add(examples / seconds);
          System.out.printf(
              Locale.ROOT,
              "epoch %d: %.2f s, %,.0f samples/s, mean loss %.4f%n",
              epoch,
              seconds,
              examples / seconds,
              total / steps);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "{\"engine\": \"PyTorch %s via DJL %s\", \"examples\": %d, \"sgemm1024Gflops\": %.1f,"
              + " \"epochSamplesPerSecond\": %s}%n",
          Engine.getEngine("PyTorch").getVersion(),
          Engine.getDjlVersion(),
          examples,
          gflops,
          rates);
    }
  }

  /** The images of an IDX3 file (gzipped or not) as floats in [0, 1], row by row. */
  private static float[] images(Path path) throws IOException {
    try (DataInputStream in = idx(path, 0x803)) {
      int count = in.readInt();
      int size = in.readInt() * in.readInt();
      byte[] raw = in.readNBytes(count * size);
      if (raw.length != count * size) {
        throw new IOException(
            path + ": " + raw.length + " bytes of pixels, expected " + count * size);
      }
      float[] pixels = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        pixels[i] = (raw[i] & 0xff) / 255f;
      }
      return pixels;
    }
  }

  /** The labels of an IDX1 file (gzipped or not), as the class numbers in float. */
  private static float[] labels(Path path) throws IOException {
    try (DataInputStream in = idx(path, 0x801)) {
      int count = in.readInt();
      byte[] raw = in.readNBytes(count);
      if (raw.length != count) {
        throw new IOException(path + ": " + raw.length + " labels, expected " + count);
      }
      float[] labels = new float[count];
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i];
      }
      return labels;
    }
  }

  private static DataInputStream idx(Path path, int magic) throws IOException {
    Path gz = Path.of(path + ".gz");
    InputStream raw =
        Files.exists(gz)
            ? new GZIPInputStream(Files.newInputStream(gz))
            : Files.newInputStream(path);
    DataInputStream in = new DataInputStream(raw);
    int found = in.readInt();
    if (found != magic) {
      in.close();
      throw new IOException(
          path
              + ": magic number "
              + Integer.toHexString(found)
              + ", expected "
              + Integer.toHexString(magic));
    }
    return in;
  }
}
