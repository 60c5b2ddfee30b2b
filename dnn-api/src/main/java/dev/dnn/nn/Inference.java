package dev.dnn.nn;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.internal.nn.DataFit;
import dev.dnn.internal.nn.DeviceBatches;
import dev.dnn.internal.nn.FiniteValues;
import dev.dnn.internal.nn.RowArrays;
import dev.dnn.loss.Loss;
import dev.dnn.metrics.ConfusionMatrix;
import dev.dnn.metrics.RegressionMetrics;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Predictions and evaluation of a {@link Model} in inference mode, on raw examples (the model's
 * preprocessing applied to each batch as it is uploaded), in batches of {@link
 * Model#INFERENCE_BATCH} rows: holds the device batches and scratch tensors those passes reuse, so
 * repeated calls allocate nothing. The layers' activations live in ping-pong buffers that all
 * layers share, so memory follows the widest activations and the batch size, not the depth. {@link
 * Model#predict}, {@link Model#evaluate} and their siblings delegate to the model's own evaluator;
 * close one made with {@link #Inference(Model)} to free its tensors (the model's stay with the
 * model).
 *
 * <p>Not thread-safe: one thread at a time. {@link Model}'s own methods keep a pool of these, one
 * per concurrent call, and are safe from many threads.
 */
public final class Inference implements AutoCloseable {
  private final Model model;
  private final Backend backend;
  private final DeviceBatches batches;
  private final Workspace scratch;
  private final InferenceBuffers activations;
  private Tensor lossSum;
  private Tensor correct;

  /** Float operations per row of an inference pass, about: two per weight. */
  private final long workPerRow;

  private final RowPass pass = new RowPass();

  /** The model's pool that made this evaluator, or null for one made on its own. */
  private final InferencePool pool;

  /** The evaluators of this one's row shares when it is used on its own, made on first use. */
  private RowShareEvaluators ownShares;

  /**
   * The row counts of the last shares this evaluator ran for another, the latest first: one for a
   * stream of latency calls of one size, two for a data set's full batches and its last, three for
   * both at once.
   */
  private final int[] shareRows = {-1, -1, -1};

  /** Host copy of a batch's predicted classes, grown as needed. */
  private float[] classHost = new float[0];

  /** A batch of {@link #predict(float[][], Loss)}'s rows back to back, grown as needed. */
  private float[] staging = new float[0];

  /** An evaluator of {@code model}, with buffers of its own on the model's backend. */
  public Inference(Model model) {
    this(model, null);
  }

  /** An evaluator of {@code pool}'s model, whose calls lease the pool's share set. */
  Inference(Model model, InferencePool pool) {
    this.model = Objects.requireNonNull(model, "model");
    this.pool = pool;
    this.backend = model.backend();
    this.batches = new DeviceBatches(backend);
    this.scratch = new Workspace(backend);
    this.activations = new InferenceBuffers(backend);
    this.workPerRow = 2 * model.parameterCount();
  }

  /** The predicted class of every example: the index of the highest output. */
  public int[] predictClasses(DataSet data) {
    checkFeatures(data);
    int[] predictions = new int[data.size()];
    predictInBatches(data, Answer.CLASS, null, predictions);
    return predictions;
  }

  /**
   * Softmax probabilities of every example, row-major {@code [size, outputCount]}; meaningful for a
   * model trained with softmax cross-entropy, whose last layer produces logits.
   */
  public float[] predictProbabilities(DataSet data) {
    checkFeatures(data);
    float[] probabilities = new float[data.size() * model.outputCount()];
    predictInBatches(data, Answer.PROBABILITIES, probabilities, null);
    return probabilities;
  }

  /** The outputs of the last layer for every example, row-major {@code [size, outputCount]}. */
  public float[] predictOutputs(DataSet data) {
    checkFeatures(data);
    float[] values = new float[data.size() * model.outputCount()];
    predictInBatches(data, Answer.OUTPUTS, values, null);
    return values;
  }

  /**
   * The answer for every example of {@code data}, {@code [size][outputCount]}: class probabilities
   * (softmax of the outputs) under softmax cross-entropy or an unknown loss (null), per-output
   * probabilities (sigmoid) under sigmoid binary cross-entropy, and the outputs in the target's
   * units (the model's target scaling undone) under mean squared error.
   */
  public float[][] predict(DataSet data, Loss loss) {
    checkFeatures(data);
    float[] flat = new float[data.size() * model.outputCount()];
    predictInBatches(data, Answer.of(loss), flat, null);
    return byRow(flat, data.size());
  }

  /**
   * {@link #predict(DataSet, Loss)} on raw rows, without a data set: each batch's rows are copied
   * into a staging array this evaluator keeps, so a call makes no copy of all of its rows.
   *
   * @throws IllegalArgumentException if {@code rows} is empty, the rows differ in width (naming the
   *     first that does) or the model takes another width, or a value is not finite (naming its row
   *     and feature)
   */
  public float[][] predict(float[][] rows, Loss loss) {
    float[] flat = new float[rows.length * model.outputCount()];
    predictStaged(rows, Answer.of(loss), flat, null);
    return byRow(flat, rows.length);
  }

  /**
   * The predicted class of every raw row, as {@link #predictClasses(DataSet)} gives it, without a
   * data set (as {@link #predict(float[][], Loss)}).
   */
  public int[] predictClasses(float[][] rows) {
    int[] classes = new int[rows.length];
    predictStaged(rows, Answer.CLASS, null, classes);
    return classes;
  }

  /** {@code rows} through the model a staged batch at a time, each batch in row shares. */
  private void predictStaged(float[][] rows, Answer answer, float[] out, int[] classes) {
    int width = RowArrays.width(rows);
    checkWidth(width);
    keepBuffersFor(Model.INFERENCE_BATCH, rows.length % Model.INFERENCE_BATCH);
    RowShareEvaluators shares = leaseRowShares();
    try {
      for (int first = 0; first < rows.length; first += Model.INFERENCE_BATCH) {
        int count = Math.min(Model.INFERENCE_BATCH, rows.length - first);
        float[] staged = stage(rows, first, count, width);
        // Checked as the shares upload them (the CPU backend in its copy, on every thread); a value
        // that is not finite is then named by its place among all the rows, the first of the batch.
        pass.set(staged, 0, first, count, false, answer, out, classes);
        try {
          runPass(shares);
        } catch (IllegalArgumentException e) {
          FiniteValues.requireStaged(staged, count, width, first, "feature");
          throw e;
        }
      }
    } finally {
      returnRowShares(shares);
    }
  }

  /** Rows {@code [first, first + count)} of {@code rows} back to back in the staging array. */
  private float[] stage(float[][] rows, int first, int count, int width) {
    if (staging.length < count * width) {
      staging = new float[count * width];
    }
    for (int r = 0; r < count; r++) {
      System.arraycopy(rows[first + r], 0, staging, r * width, width);
    }
    return staging;
  }

  /** {@code rows} answers of {@code outputCount()} values each, one array per row. */
  private float[][] byRow(float[] flat, int rows) {
    int outputs = model.outputCount();
    float[][] answers = new float[rows][];
    for (int r = 0; r < rows; r++) {
      answers[r] = Arrays.copyOfRange(flat, r * outputs, (r + 1) * outputs);
    }
    return answers;
  }

  /**
   * The examples of {@code data} through the model in batches of {@link Model#INFERENCE_BATCH}
   * rows, each batch in the backend's row shares, their answers into {@code out} (or {@code
   * classes}). A data set's features were checked finite when it was made.
   */
  private void predictInBatches(DataSet data, Answer answer, float[] out, int[] classes) {
    RowShareEvaluators shares = leaseRowShares();
    try {
      float[] rows = data.featuresView();
      for (int first = 0; first < data.size(); first += Model.INFERENCE_BATCH) {
        int count = Math.min(Model.INFERENCE_BATCH, data.size() - first);
        pass.set(rows, first, first, count, true, answer, out, classes);
        runPass(shares);
      }
    } finally {
      returnRowShares(shares);
    }
  }

  /**
   * The share evaluators for this call: the pool's set unless another call holds it (then null: the
   * call runs unsplit), or this evaluator's own when it has no pool.
   */
  private RowShareEvaluators leaseRowShares() {
    if (pool != null) {
      return pool.leaseRowShares();
    }
    if (ownShares == null) {
      ownShares = new RowShareEvaluators(model);
    }
    return ownShares;
  }

  private void returnRowShares(RowShareEvaluators shares) {
    if (pool != null) {
      pool.returnRowShares(shares);
    }
  }

  /**
   * The answer for {@code count} raw rows stored back to back in {@code rows}, written into {@code
   * out[0 .. count * outputCount)}: the same values, bit for bit, as {@link #predict(DataSet,
   * Loss)} on those rows, without a data set, a {@code float[][]} or a result array. The host and
   * device buffers of a row count are kept, so a steady stream of calls of one size allocates
   * nothing.
   */
  public void predict(float[] rows, int count, float[] out, Loss loss) {
    int width = model.preprocessing().width();
    if (rows.length != count * width) {
      throw new IllegalArgumentException(
          "the rows have "
              + rows.length
              + " values, not "
              + count
              + " rows of the "
              + width
              + " features the model takes");
    }
    int outputs = model.outputCount();
    if (out.length < count * outputs) {
      throw new IllegalArgumentException(
          "the output array has room for "
              + out.length
              + " values but "
              + count
              + " rows of "
              + outputs
              + " outputs need "
              + count * outputs);
    }
    keepBuffersFor(Model.INFERENCE_BATCH, count);
    RowShareEvaluators shares = leaseRowShares();
    try {
      pass.set(rows, 0, 0, count, false, Answer.of(loss), out, null);
      runPass(shares);
    } finally {
      returnRowShares(shares);
    }
  }

  /**
   * The pass {@link #pass} was set to, in the backend's row shares ({@link Backend#forRowShares}),
   * each in one of {@code shares}' evaluators, or all at once in this one where {@code shares} is
   * null.
   */
  private void runPass(RowShareEvaluators shares) {
    pass.shares = shares;
    try {
      if (shares == null) {
        predictRows(pass, 0, pass.count);
      } else {
        backend.forRowShares(pass.count, workPerRow, pass);
      }
    } finally {
      pass.clear();
    }
  }

  /** What a prediction gives for each row. */
  private enum Answer {
    /** Softmax of the outputs. */
    PROBABILITIES,
    /** The outputs as the last layer gives them. */
    OUTPUTS,
    /** The logistic sigmoid of each output. */
    SIGMOID,
    /** The outputs in the target's units: the model's target scaling undone, where it has one. */
    TARGET_UNITS,
    /** The index of the highest output, into an {@code int[]}. */
    CLASS;

    /** The answer {@link #predict(DataSet, Loss)} gives under {@code loss}. */
    static Answer of(Loss loss) {
      if (loss == null || loss == Loss.SOFTMAX_CROSS_ENTROPY) {
        return PROBABILITIES;
      }
      return loss == Loss.SIGMOID_BINARY_CROSS_ENTROPY ? SIGMOID : TARGET_UNITS;
    }
  }

  /**
   * Rows {@code [from, to)} of {@code pass} through the model, their answers into the pass's
   * output: one share of a prediction.
   */
  private void predictRows(RowPass pass, int from, int to) {
    int count = to - from;
    int width = model.preprocessing().width();
    int outputs = model.outputCount();
    // The scratch tensors of the probabilities and the classes, whichever this call needs: an
    // evaluator then holds the same buffers whatever kinds of prediction it made.
    Tensor probabilities = scratch.get(0, count, outputs);
    Tensor argmax = scratch.get(2, count, 1);
    Tensor features =
        batches.upload(
            pass.rows, pass.rowsFirst + from, count, width, model.preprocessing(), pass.checked);
    Tensor result = model.infer(features, activations);
    int outRow = pass.outFirst + from;
    int at = outRow * outputs;
    float[] out = pass.out;
    switch (pass.answer) {
      case PROBABILITIES -> {
        backend.softmax(result, probabilities);
        backend.copyToHost(probabilities, out, at);
      }
      case OUTPUTS -> backend.copyToHost(result, out, at);
      case SIGMOID -> {
        backend.copyToHost(result, out, at);
        for (int i = at; i < at + count * outputs; i++) {
          out[i] = (float) (1 / (1 + Math.exp(-out[i])));
        }
      }
      case TARGET_UNITS -> {
        backend.copyToHost(result, out, at);
        if (model.targetScaling().isPresent()) {
          model.targetScaling().get().toTarget(out, at, count);
        }
      }
      case CLASS -> {
        backend.argmaxRows(result, argmax);
        if (classHost.length < count) {
          classHost = new float[count];
        }
        backend.copyToHost(argmax, classHost, 0);
        for (int r = 0; r < count; r++) {
          pass.classes[outRow + r] = (int) classHost[r];
        }
      }
    }
  }

  /**
   * The prediction pass under way, as the backend's row shares run it ({@link
   * Backend#forRowShares}): kept and reused, so that a call allocates nothing.
   */
  private final class RowPass implements Backend.RowShare {
    private float[] rows;
    private int rowsFirst;
    private int outFirst;
    private int count;
    private boolean checked;
    private Answer answer;
    private float[] out;
    private int[] classes;
    private RowShareEvaluators shares;

    /**
     * {@code count} rows of {@code rows} from row {@code rowsFirst}, whose answers go to {@code
     * out} (or {@code classes}) from row {@code outFirst} on; rows not yet {@code checked} finite
     * are checked as they are uploaded.
     */
    void set(
        float[] rows,
        int rowsFirst,
        int outFirst,
        int count,
        boolean checked,
        Answer answer,
        float[] out,
        int[] classes) {
      this.rows = rows;
      this.rowsFirst = rowsFirst;
      this.outFirst = outFirst;
      this.count = count;
      this.checked = checked;
      this.answer = answer;
      this.out = out;
      this.classes = classes;
    }

    void clear() {
      rows = null;
      out = null;
      classes = null;
      shares = null;
    }

    /**
     * All rows in this evaluator, a part of them in the share's own: each keeps the buffers of the
     * row counts it runs, however the backend splits from call to call.
     */
    @Override
    public void run(int share, int from, int to) {
      if (to - from == count) {
        predictRows(this, from, to);
        return;
      }
      Inference evaluator = shares.evaluator(share);
      evaluator.keepRecentShareRows(to - from);
      evaluator.predictRows(this, from, to);
    }
  }

  /** Loss and accuracy on {@code data} under {@code loss}, in inference mode. */
  public Evaluation evaluate(DataSet data, Loss loss) {
    DataFit.check(model, data, "evaluation");
    keepBuffersFor(Model.INFERENCE_BATCH, data.size() % Model.INFERENCE_BATCH);
    if (loss.usesClassLabels() != data.isClassification()) {
      throw new IllegalArgumentException(
          loss
              + " needs "
              + (loss.usesClassLabels() ? "class labels" : "float targets")
              + " but the data set has "
              + (data.isClassification() ? "class labels" : "targets"));
    }
    if (lossSum == null) {
      lossSum = backend.zeros(Shape.vector(1));
      correct = backend.zeros(Shape.vector(1));
    }
    backend.fill(lossSum, 0f);
    backend.fill(correct, 0f);
    int outputs = model.outputCount();
    int[] order = identity(data.size());
    int[] predicted = data.isClassification() ? new int[data.size()] : null;
    float[] host = new float[Model.INFERENCE_BATCH];
    double normalizer = 0;
    for (int from = 0; from < data.size(); from += Model.INFERENCE_BATCH) {
      int rows = Math.min(Model.INFERENCE_BATCH, data.size() - from);
      Outputs batch = forward(data, order, from, rows);
      Tensor out = batch.outputs();
      Tensor grad = scratch.get(1, rows, outputs);
      loss.apply(backend, out, batch.targets(), grad, lossSum);
      if (predicted != null) {
        backend.countCorrect(out, batch.targets(), correct);
        Tensor argmax = scratch.get(2, rows, 1);
        backend.argmaxRows(out, argmax);
        backend.copyToHost(argmax, host, 0);
        for (int r = 0; r < rows; r++) {
          predicted[from + r] = (int) host[r];
        }
      }
      normalizer += loss.normalizer(rows, outputs);
    }
    double meanLoss = backend.sum(lossSum) / normalizer;
    if (predicted == null) {
      Optional<RegressionMetrics> metrics =
          loss == Loss.MEAN_SQUARED_ERROR ? Optional.of(regressionMetrics(data)) : Optional.empty();
      return new Evaluation(meanLoss, Double.NaN, data.size(), Optional.empty(), metrics);
    }
    double accuracy = backend.sum(correct) / (double) data.size();
    ConfusionMatrix confusion =
        ConfusionMatrix.of(data.labels(), predicted, Math.max(outputs, data.classCount()));
    return new Evaluation(meanLoss, accuracy, data.size(), Optional.of(confusion));
  }

  /** RMSE, MAE and R² of the model's answers in the target's units, summed in float64. */
  private RegressionMetrics regressionMetrics(DataSet data) {
    float[] answers = predictOutputs(data);
    model.targetScaling().ifPresent(t -> t.toTarget(answers, 0, data.size()));
    return RegressionMetrics.of(answers, data.targets(), data.targetCount());
  }

  /** The model's outputs for one uploaded batch, with the batch's targets (null if none). */
  private record Outputs(Tensor outputs, Tensor targets) {}

  /** Uploads examples {@code [from, from + rows)} and runs the inference pass on them. */
  private Outputs forward(DataSet data, int[] order, int from, int rows) {
    DeviceBatches.Batch batch =
        batches.upload(
            data,
            order,
            from,
            rows,
            model.preprocessing(),
            model.targetScaling().orElse(null),
            null,
            0,
            0);
    return new Outputs(model.infer(batch.features(), activations), batch.targets());
  }

  private void checkFeatures(DataSet data) {
    Objects.requireNonNull(data, "data");
    checkWidth(data.featureCount());
    keepBuffersFor(Model.INFERENCE_BATCH, data.size() % Model.INFERENCE_BATCH);
  }

  private void checkWidth(int width) {
    try {
      model.preprocessing().checkWidth(width);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage() + ", the inputs of its first layer " + model.layer(0).name(), e);
    }
  }

  /**
   * Frees the buffers of row counts other than {@code a} and {@code b}: a call keeps those of full
   * batches and of its last batch only, so an evaluator's memory stays bounded whatever sizes it
   * serves.
   */
  private void keepBuffersFor(int a, int b) {
    keepBuffersFor(a, b, b);
  }

  private void keepBuffersFor(int a, int b, int c) {
    batches.retain(a, b, c);
    scratch.retain(a, b, c);
    activations.retain(a, b, c);
  }

  /** Keeps the buffers of this share's row count and of the two before it ({@link #shareRows}). */
  private void keepRecentShareRows(int rows) {
    if (rows != shareRows[0]) {
      shareRows[2] = rows == shareRows[1] ? shareRows[2] : shareRows[1];
      shareRows[1] = shareRows[0];
      shareRows[0] = rows;
    }
    keepBuffersFor(shareRows[0], shareRows[1], shareRows[2]);
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  @Override
  public void close() {
    if (ownShares != null) {
      ownShares.close();
    }
    batches.close();
    scratch.close();
    activations.close();
    if (lossSum != null) {
      lossSum.close();
      correct.close();
    }
  }
}
