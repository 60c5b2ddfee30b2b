package dev.dnn.spark;

import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Model;
import java.io.Serializable;
import java.util.function.BiFunction;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * What both Spark models hold: the dnn model file (its bytes, content id, widths and loss), the
 * history of the fit that made it, and the broadcast of the bytes (made once per Spark context, on
 * first use). A model and its copies share one handle. Safe to share between threads.
 */
final class ModelHandle implements Serializable {
  private static final long serialVersionUID = 2L;

  final byte[] bytes;
  final String id;
  final int inputs;
  final int outputs;
  final Loss loss;
  final TrainingHistory history;
  private transient Broadcast<byte[]> broadcast;
  private transient SparkContext owner;

  private ModelHandle(byte[] bytes, int inputs, int outputs, Loss loss, TrainingHistory history) {
    this.bytes = bytes;
    this.id = Scoring.modelId(bytes);
    this.inputs = inputs;
    this.outputs = outputs;
    this.loss = loss;
    this.history = history;
  }

  /**
   * The handle of a model file's bytes without a history (a loaded model), read once here, which
   * checks them.
   *
   * @throws IllegalArgumentException if the bytes are not a dnn model file
   */
  static ModelHandle of(byte[] bytes) {
    return of(bytes, TrainingHistory.NONE);
  }

  /** The handle of the model a fit produced, with its history. */
  static ModelHandle of(DistributedTrainer.Result result) {
    return of(result.modelFile(), TrainingHistory.of(result));
  }

  private static ModelHandle of(byte[] bytes, TrainingHistory history) {
    try (Backend backend = new CpuBackend(1);
        ModelFile.Loaded loaded = ModelBytes.load(bytes, backend)) {
      Model model = loaded.model();
      return new ModelHandle(bytes, model.inputCount(), model.outputCount(), model.loss(), history);
    }
  }

  /**
   * The reader of a model type saved with {@link #writer}: {@code create} makes the model from its
   * uid and the handle of the saved model file.
   */
  static <T extends Params> MLReader<T> reader(
      Class<T> type, BiFunction<String, ModelHandle, T> create) {
    return new ModelPersistence.Reader<>(type, (uid, bytes) -> create.apply(uid, of(bytes)));
  }

  /** The writer of {@code model}'s params and this model file. */
  MLWriter writer(Params model) {
    return new ModelPersistence.Writer(model, bytes);
  }

  /** A copy of the model file's bytes. */
  byte[] modelFile() {
    return bytes.clone();
  }

  /** The bytes broadcast in {@code sc}. */
  synchronized Broadcast<byte[]> broadcast(SparkContext sc) {
    if (broadcast == null || owner != sc || sc.isStopped()) {
      broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(bytes);
      owner = sc;
    }
    return broadcast;
  }
}
