package dev.dnn.spark.examples;

import dev.dnn.spark.DnnClassifier;
import java.util.Arrays;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark example of docs/spark.md: a {@code Pipeline} of {@code StringIndexer}, {@code
 * VectorAssembler}, {@code StandardScaler} and {@code DnnClassifier} on a CSV file, saved and
 * loaded, then a small {@code CrossValidator} grid.
 *
 * <pre>
 * spark-submit --class dev.dnn.spark.examples.FlowerPipeline --master local[2] \
 *   --jars dnn-api.jar,dnn-cpu.jar dnn-spark.jar flowers.csv /tmp/flower-model
 * </pre>
 */
public final class FlowerPipeline {
  /** What the example measured. */
  public record Result(
      double testAccuracy, double reloadedAccuracy, double[] cvMetrics, String best) {}

  private FlowerPipeline() {}

  /** Runs the example: {@code args} are the CSV file and the directory to save the model in. */
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("dnn-flower-pipeline").getOrCreate();
    try {
      Result r = run(spark, args[0], args[1]);
      System.out.printf(
          "test accuracy %.4f, after reloading %.4f; cross-validation %s, best %s%n",
          r.testAccuracy(), r.reloadedAccuracy(), Arrays.toString(r.cvMetrics()), r.best());
    } finally {
      spark.stop();
    }
  }

  /** Trains, saves, reloads and tunes; returns the accuracies. */
  public static Result run(SparkSession spark, String csv, String modelDir) {
    Dataset<Row> flowers =
        spark.read().option("header", "true").option("inferSchema", "true").csv(csv);
    Dataset<Row>[] split = flowers.randomSplit(new double[] {0.8, 0.2}, 7);
    Dataset<Row> train = split[0];
    Dataset<Row> test = split[1];

    StringIndexer labels = new StringIndexer().setInputCol("species").setOutputCol("label");
    VectorAssembler assembler =
        new VectorAssembler()
            .setInputCols(
                new String[] {"sepal_length", "sepal_width", "petal_length", "petal_width"})
            .setOutputCol("raw");
    StandardScaler scaler =
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true);
    DnnClassifier dnn =
        new DnnClassifier()
            .setHidden(16)
            .setActivation("relu")
            .setOptimizer("adam")
            .setStepSize(0.01)
            .setBatchSize(32)
            .setEpochs(30)
            .setNumWorkers(2)
            .setSeed(1);
    Pipeline pipeline =
        new Pipeline().setStages(new PipelineStage[] {labels, assembler, scaler, dnn});

    MulticlassClassificationEvaluator accuracy =
        new MulticlassClassificationEvaluator().setMetricName("accuracy");
    PipelineModel model = pipeline.fit(train);
    double testAccuracy = accuracy.evaluate(model.transform(test));

    try {
      model.write().overwrite().save(modelDir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    PipelineModel reloaded = PipelineModel.load(modelDir);
    double reloadedAccuracy = accuracy.evaluate(reloaded.transform(test));

    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(dnn.stepSize(), new double[] {0.001, 0.01})
            .addGrid(dnn.epochs(), new int[] {5, 10})
            .build();
    CrossValidatorModel cv =
        new CrossValidator()
            .setEstimator(pipeline)
            .setEstimatorParamMaps(grid)
            .setEvaluator(accuracy)
            .setNumFolds(2)
            .setSeed(3)
            .fit(train);
    double[] metrics = cv.avgMetrics();
    int best = 0;
    for (int i = 1; i < metrics.length; i++) {
      if (metrics[i] > metrics[best]) {
        best = i;
      }
    }
    return new Result(testAccuracy, reloadedAccuracy, metrics, grid[best].toString());
  }
}
