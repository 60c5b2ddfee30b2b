package dev.dnn.spark;

import dev.dnn.loss.Loss;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A trained dnn regressor as a Spark ML model. {@code transform} scores in batches in {@code
 * mapPartitions} from the model file broadcast once (each executor JVM loads it once, for all its
 * tasks) and writes {@code prediction}. Saved with {@code write().save(path)}: the directory holds
 * Spark's {@code metadata} and {@code model.safetensors}, dnn's own model file. Immutable apart
 * from its params; safe to transform with from several threads.
 */
public final class DnnRegressionModel extends RegressionModel<Vector, DnnRegressionModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final ModelHandle handle;

  DnnRegressionModel(String uid, ModelHandle handle) {
    this(PendingUid.park(uid), handle);
  }

  private DnnRegressionModel(PendingUid.Token token, ModelHandle handle) {
    uid();
    if (handle.outputs != 1 || (handle.loss != null && handle.loss != Loss.MEAN_SQUARED_ERROR)) {
      throw new IllegalArgumentException(
          "a dnn regression model needs one output trained with mean squared error; this model"
              + " file has "
              + handle.outputs
              + " outputs and loss "
              + handle.loss);
    }
    this.handle = handle;
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take("dnnRegressor");
    }
    return uid;
  }

  /** The reader of saved models. */
  public static MLReader<DnnRegressionModel> read() {
    return ModelHandle.reader(DnnRegressionModel.class, DnnRegressionModel::new);
  }

  /** Loads a model saved with {@code write().save(path)}. */
  public static DnnRegressionModel load(String path) {
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
  public int numFeatures() {
    return handle.inputs;
  }

  @Override
  public double predict(Vector features) {
    float[] row = FeatureColumns.toFloats(features, handle.inputs, getFeaturesCol());
    return Scoring.predict(handle.bytes, handle.id, new float[][] {row})[0][0];
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    Scoring.Outputs outputs =
        new Scoring.Outputs(
            getFeaturesCol(), handle.inputs, getPredictionCol(), "", "", null, false);
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

  @Override
  public DnnRegressionModel copy(ParamMap extra) {
    return copyValues(new DnnRegressionModel(uid(), handle), extra).setParent(parent());
  }
}
