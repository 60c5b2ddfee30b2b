package dev.dnn.spark;

import dev.dnn.backend.Backend;
import dev.dnn.io.ModelFile;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Batch scoring in {@code mapPartitions}: rows go through {@code Model.predict(float[][])} a batch
 * at a time. Each executor JVM reads the broadcast model file into a model once and keeps it (by
 * the file's content and the task's backend): every task there, concurrent ones included, predicts
 * with that one model, whose inference is safe from several threads. Nothing but the broadcast
 * handle and plain settings travels in the closure.
 */
final class Scoring {
  /** Rows per call of {@code predict}. */
  static final int BATCH = 1024;

  /** Loaded models by backend and model file; a few models at a time per executor JVM. */
  private static final SharedInstances<Scorer> SCORERS = new SharedInstances<>(8);

  /**
   * Where the answers go: the output column names (empty: not written), the classifier's thresholds
   * (null: none) and whether the model is a classifier.
   */
  record Outputs(
      String features,
      int featureCount,
      String prediction,
      String rawPrediction,
      String probability,
      double[] thresholds,
      boolean classifier)
      implements Serializable {}

  /**
   * A loaded model on its own backend, shared by the tasks of its executor JVM: the model's
   * inference is safe from several threads (on a backend that is not, such as CUDA, calls take
   * turns).
   */
  private static final class Scorer implements AutoCloseable {
    final Backend backend;
    final ModelFile.Loaded loaded;

    Scorer(byte[] bytes) {
      backend = BackendChoice.forCurrentTask().create();
      try {
        loaded = ModelBytes.load(bytes, backend);
      } catch (RuntimeException e) {
        backend.close();
        throw e;
      }
    }

    @Override
    public void close() {
      loaded.close();
      backend.close();
    }
  }

  private Scoring() {}

  /** An id of the model file's content, to cache its loaded model by. */
  static String modelId(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code dataset} with the answers appended as the columns of {@code outputSchema}. */
  static Dataset<Row> transform(
      Dataset<?> dataset, StructType outputSchema, ModelHandle handle, Outputs outputs) {
    Broadcast<byte[]> model = handle.broadcast(dataset.sparkSession().sparkContext());
    String modelId = handle.id;
    StructType input = dataset.schema();
    int featureIndex = input.fieldIndex(outputs.features());
    String[] added = new String[outputSchema.size() - input.size()];
    for (int i = 0; i < added.length; i++) {
      added[i] = outputSchema.fields()[input.size() + i].name();
    }
    MapPartitionsFunction<Row, Row> score =
        rows -> new Batches(rows, featureIndex, added, model, modelId, outputs);
    return dataset.toDF().mapPartitions(score, Encoders.row(outputSchema));
  }

  /** The answers for {@code features} rows on the driver or in a task. */
  static float[][] predict(byte[] bytes, String modelId, float[][] features) {
    String key = BackendChoice.forCurrentTask().key() + "|" + modelId;
    return SCORERS.with(key, () -> new Scorer(bytes), s -> s.loaded.model().predict(features));
  }

  /** Model files read and loaded for scoring in this JVM so far. */
  static long loads() {
    return SCORERS.created();
  }

  /** The prediction from class probabilities, as Spark's thresholds define it. */
  static double prediction(double[] probability, double[] thresholds) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < probability.length; i++) {
      double score;
      if (thresholds == null) {
        score = probability[i];
      } else {
        score = thresholds[i] == 0 ? Double.POSITIVE_INFINITY : probability[i] / thresholds[i];
      }
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }

  /** The raw prediction of a class probability: its natural log (log-softmax of the logits). */
  static double[] logProbabilities(double[] probability) {
    double[] raw = new double[probability.length];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = Math.log(Math.max(probability[i], Double.MIN_NORMAL));
    }
    return raw;
  }

  /** Reads a partition's rows a batch at a time and emits them with their answers. */
  private static final class Batches implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int featureIndex;
    private final String[] added;
    private final Broadcast<byte[]> model;
    private final String modelId;
    private final Outputs outputs;
    private final int partition;
    private final List<Row> pending = new ArrayList<>();
    private int next;
    private long seen;

    Batches(
        Iterator<Row> rows,
        int featureIndex,
        String[] added,
        Broadcast<byte[]> model,
        String modelId,
        Outputs outputs) {
      this.rows = rows;
      this.featureIndex = featureIndex;
      this.added = added;
      this.model = model;
      this.modelId = modelId;
      this.outputs = outputs;
      TaskContext task = TaskContext.get();
      this.partition = task == null ? 0 : task.partitionId();
    }

    @Override
    public boolean hasNext() {
      if (next < pending.size()) {
        return true;
      }
      fill();
      return next < pending.size();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.get(next++);
    }

    private void fill() {
      pending.clear();
      next = 0;
      List<Row> batch = new ArrayList<>(BATCH);
      List<float[]> features = new ArrayList<>(BATCH);
      while (batch.size() < BATCH && rows.hasNext()) {
        Row row = rows.next();
        String where = FeatureColumns.where(seen++, partition);
        features.add(
            FeatureColumns.read(
                row, featureIndex, outputs.featureCount(), outputs.features(), where));
        batch.add(row);
      }
      if (batch.isEmpty()) {
        return;
      }
      float[][] answers = predict(model.value(), modelId, features.toArray(float[][]::new));
      for (int r = 0; r < batch.size(); r++) {
        pending.add(withAnswers(batch.get(r), answers[r]));
      }
    }

    private Row withAnswers(Row row, float[] answer) {
      Object[] values = new Object[row.length() + added.length];
      for (int i = 0; i < row.length(); i++) {
        values[i] = row.get(i);
      }
      double[] probability = new double[answer.length];
      for (int i = 0; i < answer.length; i++) {
        probability[i] = answer[i];
      }
      for (int i = 0; i < added.length; i++) {
        String name = added[i];
        Object value;
        if (!outputs.classifier()) {
          value = probability[0];
        } else if (name.equals(outputs.prediction())) {
          value = prediction(probability, outputs.thresholds());
        } else if (name.equals(outputs.probability())) {
          value = Vectors.dense(probability);
        } else {
          value = Vectors.dense(logProbabilities(probability));
        }
        values[row.length() + i] = value;
      }
      return RowFactory.create(values);
    }
  }
}
