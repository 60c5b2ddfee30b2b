package dev.dnn.spark;

import dev.dnn.loss.Loss;
import dev.dnn.nn.Activations;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Optimizers;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;

/** A fit of either estimator: checks, shards, architecture, distributed training. Stateless. */
final class Fitting {
  private Fitting() {}

  /**
   * Trains on {@code dataset} as {@code params} say.
   *
   * @param classifier class labels and softmax cross-entropy; else one regression target and mean
   *     squared error
   */
  static DistributedTrainer.Result fit(
      Dataset<?> dataset,
      DnnTrainingParams<?> params,
      String featuresCol,
      String labelCol,
      boolean classifier) {
    // Names are checked before any job runs.
    if (params.getSpec().isBlank()) {
      Activations.named(params.getActivation());
    }
    Optimizers.canonicalName(params.getOptimizer());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    int workers = params.getNumWorkers() > 0 ? params.getNumWorkers() : jsc.defaultParallelism();
    TrainingData data =
        TrainingData.build(
            dataset,
            new TrainingData.Columns(featuresCol, labelCol, params.getValidationIndicatorCol()),
            classifier,
            workers);
    try {
      int outputs = classifier ? data.classCount : 1;
      ModelSpec spec =
          Architectures.of(
              params.getSpec(),
              params.getHidden(),
              params.getActivation(),
              params.getDropout(),
              data.featureCount,
              outputs,
              featuresCol);
      Loss loss = classifier ? Loss.SOFTMAX_CROSS_ENTROPY : Loss.MEAN_SQUARED_ERROR;
      DistributedTrainer.Settings settings =
          new DistributedTrainer.Settings(
              spec,
              loss,
              params.getOptimizer(),
              params.getStepSize(),
              params.getBatchSize(),
              params.getEpochs(),
              params.getSeed(),
              params.getLocalSteps(),
              params.getEarlyStoppingPatience(),
              params.getCheckpointDir(),
              params.getCheckpointInterval());
      return DistributedTrainer.train(jsc, data, settings);
    } finally {
      data.release();
    }
  }
}
