package dev.dnn.spark;

import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Model;
import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A Spark model's dnn model file: its bytes, content id, widths and loss, and the broadcast of the
 * bytes (made once per Spark context, on first use). Safe to share between threads.
 */
final class ModelHandle implements Serializable {
  private static final long serialVersionUID = 1L;

  final byte[] bytes;
  final String id;
  final int inputs;
  final int outputs;
  final Loss loss;
  private transient Broadcast<byte[]> broadcast;
  private transient SparkContext owner;

  private ModelHandle(byte[] bytes, int inputs, int outputs, Loss loss) {
    this.bytes = bytes;
    this.id = Scoring.modelId(bytes);
    this.inputs = inputs;
    this.outputs = outputs;
    this.loss = loss;
  }

  /**
   * The handle of a model file's bytes (read once here, which checks them).
   *
   * @throws IllegalArgumentException if the bytes are not a dnn model file
   */
  static ModelHandle of(byte[] bytes) {
    try (Backend backend = new CpuBackend(1);
        ModelFile.Loaded loaded = ModelBytes.load(bytes, backend)) {
      Model model = loaded.model();
      return new ModelHandle(bytes, model.inputCount(), model.outputCount(), model.loss());
    }
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
