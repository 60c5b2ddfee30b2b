package dev.dnn.spark;

import dev.dnn.loss.Loss;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.Tuple3;

/**
 * A trained dnn classifier as a Spark ML model. {@code transform} scores in batches in {@code
 * mapPartitions} from the model file broadcast once (each executor JVM loads it once, for all its
 * tasks); it writes {@code prediction}, {@code probability} (the network's softmax) and {@code
 * rawPrediction} (the natural log of the probabilities, which orders classes as the logits do).
 * Saved with {@code write().save(path)}: the directory holds Spark's {@code metadata} and {@code
 * model.safetensors}, dnn's own model file, which {@code dnn evaluate}, PyTorch and the ONNX export
 * read as it is. Immutable apart from its params; safe to transform with from several threads.
 */
public final class DnnClassificationModel
    extends ProbabilisticClassificationModel<Vector, DnnClassificationModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ModelHandle handle;

  DnnClassificationModel(String uid, ModelHandle handle) {
    this(PendingUid.park(uid), handle);
  }

  private DnnClassificationModel(PendingUid.Token token, ModelHandle handle) {
    uid();
    if (handle.outputs < 2 || (handle.loss != null && handle.loss != Loss.SOFTMAX_CROSS_ENTROPY)) {
      throw new IllegalArgumentException(
          "a dnn classification model needs two or more softmax outputs; this model file has "
              + handle.outputs
              + " outputs and loss "
              + handle.loss);
    }
    this.handle = handle;
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take("dnnClassifier");
    }
    return uid;
  }

  /** The reader of saved models. */
  public static MLReader<DnnClassificationModel> read() {
    return ModelHandle.reader(DnnClassificationModel.class, DnnClassificationModel::new);
  }

  /** Loads a model saved with {@code write().save(path)}. */
  public static DnnClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public MLWriter write() {
    return handle.writer(this);
  }

  /** A copy of the dnn model file (safetensors) this model scores with. */
  public byte[] modelFile() {
    return handle.modelFile();
  }

  /** Per-epoch losses of the fit that made this model (empty for a loaded model). */
  public TrainingHistory history() {
    return handle.history;
  }

  @Override
  public int numClasses() {
    return handle.outputs;
  }

  @Override
  public int numFeatures() {
    return handle.inputs;
  }

  @Override
  public Vector predictRaw(Vector features) {
    float[] row = FeatureColumns.toFloats(features, handle.inputs, getFeaturesCol());
    float[] p = Scoring.predict(handle.bytes, handle.id, new float[][] {row})[0];
    double[] probability = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      probability[i] = p[i];
    }
    return Vectors.dense(Scoring.logProbabilities(probability));
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    DenseVector dense = (DenseVector) rawPrediction;
    double[] values = dense.values();
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(values[i]);
    }
    ProbabilisticClassificationModel.normalizeToProbabilitiesInPlace(dense);
    return dense;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    if (isDefined(thresholds()) && getThresholds().length != handle.outputs) {
      throw new IllegalArgumentException(
          "thresholds has "
              + getThresholds().length
              + " values but the model has "
              + handle.outputs
              + " classes");
    }
    Scoring.Outputs outputs =
        new Scoring.Outputs(
            getFeaturesCol(),
            handle.inputs,
            getPredictionCol(),
            getRawPredictionCol(),
            getProbabilityCol(),
            isDefined(thresholds()) ? getThresholds() : null,
            true);
    return Scoring.transform(dataset, out, handle, outputs);
  }

  @Override
  public StructType validateAndTransformSchema(
      StructType schema, boolean fitting, DataType featuresDataType) {
    return FeatureColumns.check(
        schema,
        getFeaturesCol(),
        s -> super.validateAndTransformSchema(s, fitting, featuresDataType));
  }

  /**
   * Spark's own (for model summaries). Declared here because javac, unlike Scala, sees the two
   * inherited declarations with different tuple types as a clash.
   */
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public DnnClassificationModel copy(ParamMap extra) {
    return copyValues(new DnnClassificationModel(uid(), handle), extra).setParent(parent());
  }
}
