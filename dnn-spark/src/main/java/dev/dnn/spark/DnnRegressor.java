package dev.dnn.spark;

import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML regressor that trains a dnn network (mean squared error against one numeric label)
 * across the cluster in synchronous data-parallel rounds. Features: an ML vector, {@code
 * array<float>} or {@code array<double>}. Its model writes {@code prediction}.
 *
 * <p>Like every Spark estimator, not safe to configure from several threads at once; a configured
 * estimator may be fitted from any thread.
 */
public final class DnnRegressor extends Predictor<Vector, DnnRegressor, DnnRegressionModel>
    implements DnnTrainingParams<DnnRegressor>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "dnnRegressor";

  private String uid;
  private final TrainingParams p;

  /** A regressor with a random uid and the default params. */
  public DnnRegressor() {
    this(Identifiable.randomUID(PREFIX));
  }

  /** A regressor with the given uid and the default params. */
  public DnnRegressor(String uid) {
    this(PendingUid.park(uid));
  }

  private DnnRegressor(PendingUid.Token token) {
    uid();
    p = new TrainingParams(this);
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take(PREFIX);
    }
    return uid;
  }

  /** The reader of saved regressors. */
  public static MLReader<DnnRegressor> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a regressor (its params) saved with {@code write().save(path)}. */
  public static DnnRegressor load(String path) {
    return read().load(path);
  }

  @Override
  public DnnRegressionModel train(Dataset<?> dataset) {
    DistributedTrainer.Result result =
        Fitting.fit(dataset, this, getFeaturesCol(), getLabelCol(), false);
    return new DnnRegressionModel(uid(), ModelHandle.of(result));
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
  public DnnRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public TrainingParams trainingParams() {
    return p;
  }
}
