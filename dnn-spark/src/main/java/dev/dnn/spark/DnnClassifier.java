package dev.dnn.spark;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
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
 * A Spark ML classifier that trains a dnn network (softmax cross-entropy over class indices 0..k-1)
 * across the cluster in synchronous data-parallel rounds. Features: an ML vector, {@code
 * array<float>} or {@code array<double>}; labels: class indices (use {@code StringIndexer} for
 * strings). Its model writes {@code prediction}, {@code probability} and {@code rawPrediction} (the
 * log of the probabilities).
 *
 * <pre>{@code
 * DnnClassifier dnn = new DnnClassifier().setHidden(256, 128).setEpochs(15).setNumWorkers(8);
 * DnnClassificationModel model = dnn.fit(train);
 * model.transform(test).select("prediction", "probability").show();
 * model.write().overwrite().save("hdfs:///models/fashion");  // holds model.safetensors
 * }</pre>
 *
 * <p>Like every Spark estimator, not safe to configure from several threads at once; a configured
 * estimator may be fitted from any thread.
 */
public final class DnnClassifier
    extends ProbabilisticClassifier<Vector, DnnClassifier, DnnClassificationModel>
    implements DnnTrainingParams<DnnClassifier>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "dnnClassifier";

  private String uid;
  private final TrainingParams p;

  /** A classifier with a random uid and the default params. */
  public DnnClassifier() {
    this(Identifiable.randomUID(PREFIX));
  }

  /** A classifier with the given uid and the default params. */
  public DnnClassifier(String uid) {
    this(PendingUid.park(uid));
  }

  private DnnClassifier(PendingUid.Token token) {
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

  /** The reader of saved classifiers. */
  public static MLReader<DnnClassifier> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a classifier (its params) saved with {@code write().save(path)}. */
  public static DnnClassifier load(String path) {
    return read().load(path);
  }

  @Override
  public DnnClassificationModel train(Dataset<?> dataset) {
    DistributedTrainer.Result result =
        Fitting.fit(dataset, this, getFeaturesCol(), getLabelCol(), true);
    return new DnnClassificationModel(uid(), ModelHandle.of(result));
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
  public DnnClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public TrainingParams trainingParams() {
    return p;
  }
}
