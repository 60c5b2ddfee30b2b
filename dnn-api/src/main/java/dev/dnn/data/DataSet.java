package dev.dnn.data;

import dev.dnn.internal.nn.FiniteValues;
import dev.dnn.internal.nn.RowArrays;
import dev.dnn.internal.random.RandomStreams;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * An in-memory data set: {@code size()} examples of {@code featureCount()} float features each,
 * row-major, with either one class label per example (classification) or a row of float targets
 * (regression, multi-label), or with neither (features only, for inference: {@link #unlabeled}).
 * Immutable and safe to share between threads; the arrays are owned by the data set (do not write
 * the one {@link #featuresView()} returns).
 */
public final class DataSet {
  private final float[] features;
  private final int size;
  private final int featureCount;
  private final int[] labels;
  private final int classCount;
  private final float[] targets;
  private final int targetCount;

  private DataSet(
      float[] features,
      int size,
      int featureCount,
      int[] labels,
      int classCount,
      float[] targets,
      int targetCount) {
    this.features = features;
    this.size = size;
    this.featureCount = featureCount;
    this.labels = labels;
    this.classCount = classCount;
    this.targets = targets;
    this.targetCount = targetCount;
  }

  /**
   * A classification data set.
   *
   * @param features {@code size * featureCount} values, row-major
   * @param featureCount values per example
   * @param labels one class index per example, each in {@code [0, classCount)}
   * @param classCount the number of classes
   * @throws IllegalArgumentException if the sizes disagree, a feature is NaN or infinite, or a
   *     label is out of range (naming the example)
   */
  public static DataSet classification(
      float[] features, int featureCount, int[] labels, int classCount) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    int size = checkFeatures(features, featureCount, labels.length);
    if (classCount < 1) {
      throw new IllegalArgumentException("classCount must be at least 1, got " + classCount);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classCount) {
        throw new IllegalArgumentException(
            "label of example " + i + " is " + labels[i] + ", outside [0, " + classCount + ")");
      }
    }
    return new DataSet(features, size, featureCount, labels, classCount, null, 0);
  }

  /**
   * A data set with float targets per example (regression, or independent binary labels).
   *
   * @param targets {@code size * targetCount} values, row-major
   */
  public static DataSet regression(
      float[] features, int featureCount, float[] targets, int targetCount) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(targets, "targets");
    if (targetCount < 1 || targets.length % targetCount != 0) {
      throw new IllegalArgumentException(
          "targets length " + targets.length + " is not a multiple of targetCount " + targetCount);
    }
    int size = checkFeatures(features, featureCount, targets.length / targetCount);
    // NaN or infinite inputs would only surface later as a diverged loss: name the culprit now.
    FiniteValues.require(targets, targetCount, "target");
    return new DataSet(features, size, featureCount, null, 0, targets, targetCount);
  }

  /**
   * A features-only data set, for prediction: {@code features.length / featureCount} examples and
   * no labels or targets. Training and evaluation refuse it.
   *
   * @throws IllegalArgumentException if the length is not a multiple of {@code featureCount} or a
   *     feature is not finite (naming the example)
   */
  public static DataSet unlabeled(float[] features, int featureCount) {
    Objects.requireNonNull(features, "features");
    if (featureCount < 1 || features.length % featureCount != 0) {
      throw new IllegalArgumentException(
          "features length "
              + features.length
              + " is not a multiple of featureCount "
              + featureCount);
    }
    int size = checkFeatures(features, featureCount, features.length / featureCount);
    return new DataSet(features, size, featureCount, null, 0, null, 0);
  }

  /**
   * A features-only data set of the given rows (copied), for prediction.
   *
   * @throws IllegalArgumentException if there are no rows, the rows differ in width (naming the
   *     first that does) or a value is not finite
   */
  public static DataSet unlabeled(float[][] rows) {
    int width = RowArrays.width(rows);
    float[] features = new float[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, features, r * width, width);
    }
    return unlabeled(features, width);
  }

  private static int checkFeatures(float[] features, int featureCount, int examples) {
    if (featureCount < 1) {
      throw new IllegalArgumentException("featureCount must be at least 1, got " + featureCount);
    }
    if ((long) examples * featureCount != features.length) {
      throw new IllegalArgumentException(
          "features length "
              + features.length
              + " does not match "
              + examples
              + " examples x "
              + featureCount
              + " features");
    }
    FiniteValues.require(features, featureCount, "feature");
    return examples;
  }

  /** The number of examples. */
  public int size() {
    return size;
  }

  /** Values per example. */
  public int featureCount() {
    return featureCount;
  }

  /** Whether the examples carry class labels or float targets (false for {@link #unlabeled}). */
  public boolean hasTargets() {
    return labels != null || targets != null;
  }

  /** Whether the examples carry class labels (else float targets, or nothing). */
  public boolean isClassification() {
    return labels != null;
  }

  /** The number of classes; 0 for a regression data set. */
  public int classCount() {
    return classCount;
  }

  /** Targets per example; 0 for a classification data set. */
  public int targetCount() {
    return targetCount;
  }

  /** The label of one example. */
  public int label(int example) {
    requireClassification();
    return labels[example];
  }

  /** The feature array itself (row-major, not a copy): do not modify. */
  public float[] featuresView() {
    return features;
  }

  /** A copy of the labels. */
  public int[] labels() {
    requireClassification();
    return labels.clone();
  }

  /** A copy of the targets. */
  public float[] targets() {
    if (targets == null) {
      throw new IllegalStateException("this data set has " + kind() + ", not float targets");
    }
    return targets.clone();
  }

  /**
   * Copies the features of {@code count} examples, {@code order[from] ... order[from + count - 1]},
   * into {@code dst} rows {@code 0 .. count - 1}.
   */
  public void copyFeatures(int[] order, int from, int count, float[] dst) {
    for (int r = 0; r < count; r++) {
      System.arraycopy(
          features, order[from + r] * featureCount, dst, r * featureCount, featureCount);
    }
  }

  /** Copies the labels of the same examples into {@code dst} as floats (the kernels' form). */
  public void copyLabels(int[] order, int from, int count, float[] dst) {
    requireClassification();
    for (int r = 0; r < count; r++) {
      dst[r] = labels[order[from + r]];
    }
  }

  /** Copies the target rows of the same examples into {@code dst}. */
  public void copyTargets(int[] order, int from, int count, float[] dst) {
    if (targets == null) {
      throw new IllegalStateException("this data set has " + kind() + ", not float targets");
    }
    for (int r = 0; r < count; r++) {
      System.arraycopy(targets, order[from + r] * targetCount, dst, r * targetCount, targetCount);
    }
  }

  /** A new data set with the given examples, in that order. */
  public DataSet select(int[] examples) {
    float[] f = new float[examples.length * featureCount];
    copyFeatures(examples, 0, examples.length, f);
    if (labels != null) {
      int[] l = new int[examples.length];
      for (int i = 0; i < examples.length; i++) {
        l[i] = labels[examples[i]];
      }
      return new DataSet(f, examples.length, featureCount, l, classCount, null, 0);
    }
    if (targets == null) {
      return new DataSet(f, examples.length, featureCount, null, 0, null, 0);
    }
    float[] t = new float[examples.length * targetCount];
    copyTargets(examples, 0, examples.length, t);
    return new DataSet(f, examples.length, featureCount, null, 0, t, targetCount);
  }

  /**
   * The examples of the given classes, in their order here, relabelled by position: the examples of
   * {@code classes[k]} get label {@code k}, and the result has {@code classes.length} classes. This
   * narrows a data set to some of its classes, as when a model is transferred to other classes.
   *
   * @throws IllegalArgumentException if {@code classes} is empty, repeats a class or names one this
   *     data set does not have
   */
  public DataSet ofClasses(int... classes) {
    requireClassification();
    if (classes.length == 0) {
      throw new IllegalArgumentException("ofClasses needs at least one class");
    }
    int[] relabel = new int[classCount];
    Arrays.fill(relabel, -1);
    for (int k = 0; k < classes.length; k++) {
      int c = classes[k];
      if (c < 0 || c >= classCount) {
        throw new IllegalArgumentException(
            "class " + c + " is out of range: this data set has classes 0-" + (classCount - 1));
      }
      if (relabel[c] >= 0) {
        throw new IllegalArgumentException("class " + c + " is named twice");
      }
      relabel[c] = k;
    }
    int[] kept = IntStream.range(0, size).filter(i -> relabel[labels[i]] >= 0).toArray();
    float[] f = new float[kept.length * featureCount];
    copyFeatures(kept, 0, kept.length, f);
    int[] l = new int[kept.length];
    for (int i = 0; i < kept.length; i++) {
      l[i] = relabel[labels[kept[i]]];
    }
    return new DataSet(f, kept.length, featureCount, l, classes.length, null, 0);
  }

  /** A new data set with the same labels or targets and other features (same example count). */
  public DataSet withFeatures(float[] newFeatures, int newFeatureCount) {
    checkFeatures(newFeatures, newFeatureCount, size);
    return new DataSet(
        newFeatures, size, newFeatureCount, labels, classCount, targets, targetCount);
  }

  /**
   * A copy with the examples in a random order that depends only on {@code seed} (Philox, on the
   * stream of data set splits with minor index 1000, to keep it apart from the splits' own).
   */
  public DataSet shuffle(long seed) {
    return select(
        Permutations.random(size, seed, RandomStreams.stream(RandomStreams.SPLIT, 0, 1000)));
  }

  /**
   * Splits into training, development and test parts by fractions (the test part gets the rest),
   * repeatably for a seed; see {@link DataSplit#of}.
   */
  public DataSplit split(double trainFraction, double devFraction, long seed, boolean stratified) {
    return DataSplit.of(this, trainFraction, devFraction, seed, stratified);
  }

  /** The labels as one-hot rows: {@code size() x classCount()} values, 1 at the label, else 0. */
  public float[] oneHotLabels() {
    requireClassification();
    float[] oneHot = new float[size * classCount];
    for (int i = 0; i < size; i++) {
      oneHot[i * classCount + labels[i]] = 1f;
    }
    return oneHot;
  }

  private void requireClassification() {
    if (labels == null) {
      throw new IllegalStateException("this data set has " + kind() + ", not class labels");
    }
  }

  private String kind() {
    return labels != null ? "class labels" : targets != null ? "float targets" : "no labels";
  }

  @Override
  public String toString() {
    return "DataSet["
        + size
        + " x "
        + featureCount
        + (labels != null
            ? ", " + classCount + " classes"
            : targets != null ? ", " + targetCount + " targets" : ", no labels")
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataSet d
        && size == d.size
        && featureCount == d.featureCount
        && classCount == d.classCount
        && targetCount == d.targetCount
        && Arrays.equals(features, d.features)
        && Arrays.equals(labels, d.labels)
        && Arrays.equals(targets, d.targets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(size, featureCount, classCount, Arrays.hashCode(labels));
  }
}
