package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.io.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceAndTuningTest {
  @TempDir Path dir;

  private static DnnClassifier small() {
    return new DnnClassifier()
        .setHidden(8)
        .setEpochs(3)
        .setBatchSize(32)
        .setStepSize(0.02)
        .setNumWorkers(2)
        .setSeed(1);
  }

  private static double[] column(Dataset<Row> df, String name) {
    return df.select(name).collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
  }

  private static List<Vector> vectors(Dataset<Row> df, String name) {
    return df.select(name).collectAsList().stream().map(r -> (Vector) r.get(0)).toList();
  }

  @Test
  void aSavedModelLoadsAndPredictsTheSameAndItsFileIsDnnsOwn() throws Exception {
    Dataset<Row> train = TestSpark.blobFrame(200, 3, 4, 1);
    Dataset<Row> test = TestSpark.blobFrame(50, 3, 4, 2);
    DnnClassificationModel model = small().fit(train);
    String path = dir.resolve("model").toString();
    model.write().overwrite().save(path);
    DnnClassificationModel loaded = DnnClassificationModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertEquals(model.getFeaturesCol(), loaded.getFeaturesCol());
    List<Vector> before = vectors(model.transform(test), "probability");
    List<Vector> after = vectors(loaded.transform(test), "probability");
    assertEquals(before, after);

    // The directory's model.safetensors is the model file dnn itself reads, and it predicts the
    // same probabilities (dnn's predict in one JVM, the same floats).
    Path file = dir.resolve("model").resolve(ModelPersistence.MODEL_FILE);
    assertArrayEquals(model.modelFile(), Files.readAllBytes(file));
    List<Row> rows = test.select("features").collectAsList();
    float[][] x = new float[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      double[] d = ((Vector) rows.get(i).get(0)).toArray();
      x[i] = new float[d.length];
      for (int j = 0; j < d.length; j++) {
        x[i][j] = (float) d[j];
      }
    }
    try (Backend backend = new CpuBackend(1);
        ModelFile.Loaded direct = ModelFile.load(file, backend)) {
      float[][] p = direct.model().predict(x);
      for (int i = 0; i < x.length; i++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(p[i][c], before.get(i).apply(c), 0, "row " + i);
        }
      }
    }
    // A single row through Spark's per-row API: the log of the probabilities, exponentiated and
    // renormalized by Spark. The float probabilities sum to 1 within a few roundings (3 terms of
    // relative error 2^-24, plus softmax's own), so renormalizing moves each by at most a relative
    // 12 * 2^-24.
    Vector probability = model.predictProbability((Vector) test.first().get(0));
    for (int c = 0; c < 3; c++) {
      double p = before.get(0).apply(c);
      assertEquals(p, probability.apply(c), 12 * 0x1p-24 * p);
    }
  }

  @Test
  void arraysOfFloatsOrDoublesScoreAsVectorsDo() {
    Dataset<Row> train = TestSpark.blobFrame(200, 3, 4, 1);
    DnnClassificationModel model = small().fit(train);
    Dataset<Row> asDoubles =
        train.withColumn(
            "features",
            org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float64"));
    Dataset<Row> asFloats =
        train.withColumn(
            "features",
            org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float32"));
    double[] expected = column(model.transform(train), "prediction");
    assertArrayEquals(expected, column(model.transform(asDoubles), "prediction"));
    assertArrayEquals(expected, column(model.transform(asFloats), "prediction"));
    // And an estimator trains on arrays as on vectors: the same rows give the same model.
    assertArrayEquals(model.modelFile(), small().fit(asDoubles).modelFile());
  }

  @Test
  void aPipelineSavesAndLoadsAndTheEstimatorItselfToo() throws Exception {
    Dataset<Row> train = TestSpark.blobFrame(200, 3, 4, 3);
    StandardScaler scaler =
        new StandardScaler().setInputCol("features").setOutputCol("scaled").setWithMean(true);
    DnnClassifier dnn = small().setFeaturesCol("scaled");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {scaler, dnn});
    PipelineModel fitted = pipeline.fit(train);
    String path = dir.resolve("pipeline").toString();
    fitted.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertArrayEquals(
        column(fitted.transform(train), "prediction"),
        column(loaded.transform(train), "prediction"));

    String estimatorPath = dir.resolve("estimator").toString();
    dnn.setHidden(5, 3).setOptimizer("nesterov").write().overwrite().save(estimatorPath);
    DnnClassifier back = DnnClassifier.load(estimatorPath);
    assertArrayEquals(new int[] {5, 3}, back.getHidden());
    assertEquals("nesterov", back.getOptimizer());
    assertEquals("scaled", back.getFeaturesCol());
    assertEquals(dnn.uid(), back.uid());
  }

  @Test
  void crossValidatorAndTrainValidationSplitTuneTheParams() throws Exception {
    Dataset<Row> train = TestSpark.blobFrame(240, 3, 4, 4);
    DnnClassifier dnn = small().setEpochs(2);
    ParamMap[] grid =
        new ParamGridBuilder().addGrid(dnn.stepSize(), new double[] {1e-5, 0.05}).build();
    MulticlassClassificationEvaluator accuracy =
        new MulticlassClassificationEvaluator().setMetricName("accuracy");
    CrossValidatorModel cv =
        new CrossValidator()
            .setEstimator(dnn)
            .setEstimatorParamMaps(grid)
            .setEvaluator(accuracy)
            .setNumFolds(2)
            .setSeed(1)
            .fit(train);
    double[] metrics = cv.avgMetrics();
    assertEquals(2, metrics.length);
    // A learning rate of 1e-5 hardly moves the weights in 2 epochs; 0.05 separates the blobs.
    assertTrue(metrics[1] > metrics[0], java.util.Arrays.toString(metrics));
    DnnClassificationModel best = (DnnClassificationModel) cv.bestModel();
    assertEquals(0.05, ((DnnClassifier) best.parent()).getStepSize());
    String path = dir.resolve("cv").toString();
    cv.write().overwrite().save(path);
    CrossValidatorModel cvLoaded = CrossValidatorModel.load(path);
    assertArrayEquals(
        column(cv.transform(train), "prediction"), column(cvLoaded.transform(train), "prediction"));

    TrainValidationSplitModel tvs =
        new TrainValidationSplit()
            .setEstimator(dnn)
            .setEstimatorParamMaps(grid)
            .setEvaluator(accuracy)
            .setTrainRatio(0.75)
            .setSeed(2)
            .fit(train);
    assertTrue(tvs.validationMetrics()[1] > tvs.validationMetrics()[0]);
  }

  @Test
  void aRegressorLearnsALinearTargetAndSavesToo() throws Exception {
    // y = 2 x0 - x1 + 0.5, noise-free; an MLP with MSE fits it closely.
    List<Row> rows = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(9);
    for (int i = 0; i < 400; i++) {
      double a = random.nextDouble() * 2 - 1;
      double b = random.nextDouble() * 2 - 1;
      rows.add(
          org.apache.spark.sql.RowFactory.create(
              org.apache.spark.ml.linalg.Vectors.dense(a, b), 2 * a - b + 0.5));
    }
    Dataset<Row> df = TestSpark.session().createDataFrame(rows, TestSpark.vectorSchema());
    DnnRegressor dnn =
        new DnnRegressor()
            .setHidden(16)
            .setEpochs(40)
            .setBatchSize(32)
            .setStepSize(0.01)
            .setNumWorkers(2)
            .setSeed(2);
    DnnRegressionModel model = dnn.fit(df);
    double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(model.transform(df));
    // The target's standard deviation is about 1.3; a fitted network is far below it.
    assertTrue(rmse < 0.15, "rmse " + rmse);
    double[] losses = model.history().trainingLoss();
    assertTrue(losses[losses.length - 1] < losses[0] / 10, java.util.Arrays.toString(losses));
    String path = dir.resolve("regressor").toString();
    model.write().overwrite().save(path);
    DnnRegressionModel loaded = DnnRegressionModel.load(path);
    assertArrayEquals(
        column(model.transform(df), "prediction"), column(loaded.transform(df), "prediction"));
    assertEquals(
        model.predict((org.apache.spark.ml.linalg.Vector) df.first().get(0)),
        column(model.transform(df), "prediction")[0]);
  }
}
