package dev.dnn.spark.bench;

import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.data.DataSet;
import dev.dnn.data.FashionMnist;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.spark.DnnClassificationModel;
import dev.dnn.spark.DnnClassifier;
import dev.dnn.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The harness of issue 19's targets, side by side in one run (not a test; nothing here is timed by
 * the build): MLlib's perceptron (784-256-10, L-BFGS) against dnn-spark (784-256-10, ReLU, Adam,
 * batch 128) for localSteps 1, 8 and 64 and single-JVM dnn on Fashion-MNIST in {@code local[2]},
 * then {@code transform} over many rows against single-JVM {@code predict}. Prints Markdown tables,
 * each row as soon as it is measured (cheapest first: single-JVM dnn, localSteps 64 and 8, scoring,
 * then MLlib and localSteps 1), and all of them again at the end. Arguments (all optional): {@code
 * trainRows epochs mllibIterations transformRows}; the defaults are the (all 60,000 rows,
 * 15 epochs, 100 iterations, 1,000,000 rows). Needs the Fashion-MNIST files in {@code
 * /usr/share/datasets/fashion-mnist} or {@code -Ddnn.fashionMnist.directory}, and the JVM flags of
 * docs/spark.md (plus {@code --add-modules jdk.incubator.vector}, which MLlib's BLAS uses too).
 */
public final class SparkTargets {
  private SparkTargets() {}

  public static void main(String[] args) throws Exception {
    int trainRows = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int mllibIterations = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int transformRows = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
    FashionMnist mnist = FashionMnist.fromDirectory(FashionMnist.defaultDirectory());
    DataSet train = mnist.train().orElseThrow();
    if (trainRows < train.size()) {
      int[] first = new int[trainRows];
      for (int i = 0; i < trainRows; i++) {
        first[i] = i;
      }
      train = train.select(first);
    }
    DataSet test = mnist.test();
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("dnn-spark-targets")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    // Every figure is printed as soon as it is measured, so a run cut short keeps what it did;
    // the cheap measurements come first. "load" is the 1-minute load average when a row ends.
    print("| what | train s | rounds | ms/round | test accuracy | load |");
    print("|---|---:|---:|---:|---:|---:|");
    try {
      Dataset<Row> trainDf = frame(spark, train).cache();
      Dataset<Row> testDf = frame(spark, test).cache();
      trainDf.count();
      testDf.count();
      MulticlassClassificationEvaluator accuracy =
          new MulticlassClassificationEvaluator().setMetricName("accuracy");

      try (Backend backend = new CpuBackend();
          Model model =
              Model.sequential(
                      Dense.of(784, 256).init(Init.HE_NORMAL),
                      Activation.RELU,
                      Dense.of(256, 10).init(Init.GLOROT_UNIFORM))
                  .on(backend)) {
        Trainer trainer =
            Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .optimizer(Adam.learningRate(1e-3))
                .batchSize(128)
                .epochs(epochs)
                .seed(1)
                .build();
        long t0 = System.nanoTime();
        trainer.fit(model, train);
        print(
            row(
                "single-JVM dnn, " + epochs + " epochs",
                seconds(t0),
                0,
                model.evaluate(test).accuracy()));

        // dnn-spark: 2 workers of 64 rows per step; a round is localSteps steps.
        int stepsPerEpoch = ((train.size() + 1) / 2 + 63) / 64;
        DnnClassificationModel first = null;
        for (int localSteps : new int[] {64, 8}) {
          first = fitSpark(trainDf, testDf, accuracy, epochs, localSteps, stepsPerEpoch);
        }

        // Scoring: the cached test rows repeated up to transformRows by a cross join, not cached
        // (a million 784-wide vectors would not fit the heap), so the time includes making the
        // rows, as reading a table would.
        int copies = (transformRows + test.size() - 1) / test.size();
        Dataset<Row> many = testDf.crossJoin(spark.range(copies).withColumnRenamed("id", "copy"));
        long rows = many.count();
        t0 = System.nanoTime();
        Dataset<Row> scored = first.transform(many);
        double checksum = scored.agg(functions.sum("prediction")).first().getDouble(0);
        double sparkSeconds = seconds(t0);
        float[][] x = rows(test);
        t0 = System.nanoTime();
        double single = 0;
        for (int c = 0; c < copies; c++) {
          // What transform calls per batch: predict(float[][]), 1,024 rows at a time.
          for (int from = 0; from < x.length; from += 1024) {
            single +=
                model.predict(
                        java.util.Arrays.copyOfRange(x, from, Math.min(x.length, from + 1024)))
                    .length;
          }
        }
        double singleSeconds = seconds(t0);
        print("");
        print("| scoring | rows | s | rows/s | load |");
        print("|---|---:|---:|---:|---:|");
        print(
            String.format(
                Locale.ROOT,
                "| dnn-spark transform, local[2] | %d | %.2f | %.0f | %.2f |",
                rows,
                sparkSeconds,
                rows / sparkSeconds,
                load()));
        print(
            String.format(
                Locale.ROOT,
                "| single-JVM predict | %.0f | %.2f | %.0f | %.2f |",
                single,
                singleSeconds,
                single / singleSeconds,
                load()));
        System.out.println("(prediction checksum " + checksum + ")");
        print("");
        print("| what | train s | rounds | ms/round | test accuracy | load |");
        print("|---|---:|---:|---:|---:|---:|");

        t0 = System.nanoTime();
        MultilayerPerceptronClassificationModel mlp =
            new MultilayerPerceptronClassifier()
                .setLayers(new int[] {784, 256, 10})
                .setMaxIter(mllibIterations)
                .setSeed(1)
                .fit(trainDf);
        double mlpSeconds = seconds(t0);
        print(
            row(
                "MLlib perceptron 784-256-10, maxIter " + mllibIterations,
                mlpSeconds,
                0,
                accuracy.evaluate(mlp.transform(testDf))));

        fitSpark(trainDf, testDf, accuracy, epochs, 1, stepsPerEpoch);
      }
    } finally {
      spark.stop();
    }
    System.out.println();
    TABLE.forEach(System.out::println);
  }

  private static final List<String> TABLE = new ArrayList<>();

  /** Prints a table line now and keeps it for the summary at the end. */
  private static void print(String line) {
    System.out.println(line);
    System.out.flush();
    TABLE.add(line);
  }

  private static DnnClassificationModel fitSpark(
      Dataset<Row> trainDf,
      Dataset<Row> testDf,
      MulticlassClassificationEvaluator accuracy,
      int epochs,
      int localSteps,
      int stepsPerEpoch) {
    long t0 = System.nanoTime();
    DnnClassificationModel model =
        new DnnClassifier()
            .setHidden(256)
            .setOptimizer("adam")
            .setStepSize(1e-3)
            .setBatchSize(128)
            .setEpochs(epochs)
            .setNumWorkers(2)
            .setLocalSteps(localSteps)
            .setSeed(1)
            .fit(trainDf);
    double s = seconds(t0);
    int rounds = epochs * ((stepsPerEpoch + localSteps - 1) / localSteps);
    print(
        row(
            "dnn-spark localSteps " + localSteps + ", " + epochs + " epochs",
            s,
            rounds,
            accuracy.evaluate(model.transform(testDf))));
    return model;
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static float[][] rows(DataSet data) {
    float[] x = data.featuresView();
    int w = data.featureCount();
    float[][] out = new float[data.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(x, i * w, (i + 1) * w);
    }
    return out;
  }

  private static Dataset<Row> frame(SparkSession spark, DataSet data) {
    float[] x = data.featuresView();
    int w = data.featureCount();
    List<Row> rows = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      double[] v = new double[w];
      for (int j = 0; j < w; j++) {
        v[j] = x[i * w + j]; // FashionMnist's pixels are already divided by 255
      }
      rows.add(RowFactory.create(Vectors.dense(v), (double) data.label(i)));
    }
    return spark.createDataFrame(rows, dev.dnn.spark.BenchSchema.SCHEMA).repartition(2);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static String row(String what, double seconds, int rounds, double accuracy) {
    return String.format(
        Locale.ROOT,
        "| %s | %.1f | %s | %s | %.2f%% | %.2f |",
        what,
        seconds,
        rounds > 0 ? Integer.toString(rounds) : "",
        rounds > 0 ? String.format(Locale.ROOT, "%.1f", 1000 * seconds / rounds) : "",
        100 * accuracy,
        load());
  }
}
