package dev.dnn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How raw rows become a model's inputs: the raw columns by name (numeric, or text that is one-hot
 * encoded with a stored vocabulary), then a per-input affine step {@code x' = (x * inputScale -
 * offset) * scale} (a fixed input scale such as 1/255 for pixels, and a fitted standardization or
 * min-max scaling). A {@link dev.dnn.nn.Model} owns one and applies it in every method that takes
 * examples, so a model loaded from a file takes the same raw rows as the one that was trained; the
 * ONNX export and the PyTorch module built from a model file apply the same affine step.
 *
 * <p>The numeric form of a row, which {@code Model.predict(float[][])} and data sets take, has
 * {@link #width()} values: each numeric column's raw value and each text column's one-hot code, in
 * column order. Text rows ({@link TableReader}) are encoded into that form by column name.
 *
 * <p>Immutable, so one instance may be shared between threads.
 */
public final class Preprocessing {
  private final List<InputColumn> columns;
  private final int width;
  private final double inputScale;
  private final ScalerParams scaling;

  private Preprocessing(
      List<InputColumn> columns, int width, double inputScale, ScalerParams scaling) {
    this.columns = List.copyOf(columns);
    this.width = width;
    this.inputScale = inputScale;
    this.scaling = scaling;
  }

  /** {@code width} unnamed numeric inputs used as they are. */
  public static Preprocessing none(int width) {
    if (width < 1) {
      throw new IllegalArgumentException("a model needs at least one input, got " + width);
    }
    return new Preprocessing(List.of(), width, 1, null);
  }

  /** Named raw columns used as they are (text columns one-hot encoded). */
  public static Preprocessing of(List<InputColumn> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("name at least one column");
    }
    int width = 0;
    List<String> names = new ArrayList<>();
    for (InputColumn c : columns) {
      if (names.contains(c.name())) {
        throw new IllegalArgumentException("column '" + c.name() + "' is named twice");
      }
      names.add(c.name());
      width += c.width();
    }
    return new Preprocessing(columns, width, 1, null);
  }

  /** Inputs scaled by {@code scaling}, whose parameters give their width. */
  public static Preprocessing scaled(ScalerParams scaling) {
    return none(scaling.offset().length).withScaling(scaling);
  }

  /**
   * This preprocessing with raw values multiplied by {@code scale} first (1/255 for pixels).
   *
   * @throws IllegalArgumentException if {@code scale} is not positive and finite
   */
  public Preprocessing withInputScale(double scale) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("input scale must be positive, got " + scale);
    }
    return new Preprocessing(columns, width, scale, scaling);
  }

  /**
   * This preprocessing with {@code params} applied after the input scale (null for none).
   *
   * @throws IllegalArgumentException if the parameters are not of {@link #width()} inputs
   */
  public Preprocessing withScaling(ScalerParams params) {
    if (params != null && params.offset().length != width) {
      throw new IllegalArgumentException(
          params.kind()
              + " was fitted on "
              + params.offset().length
              + " inputs but the model has "
              + width);
    }
    return new Preprocessing(columns, width, inputScale, params);
  }

  /**
   * This preprocessing with its inputs named by {@code named}'s columns (whose width must be this
   * one's), keeping the scaling.
   */
  public Preprocessing withColumns(List<InputColumn> named) {
    Preprocessing p = of(named);
    if (p.width != width) {
      throw new IllegalArgumentException(
          "the columns feed " + p.width + " inputs but the model has " + width);
    }
    return new Preprocessing(p.columns, width, inputScale, scaling);
  }

  /** The model inputs this preprocessing produces. */
  public int width() {
    return width;
  }

  /** The raw columns by name; empty when the inputs are not named. */
  public List<InputColumn> columns() {
    return columns;
  }

  /** Whether any raw column holds text. */
  public boolean hasTextColumns() {
    return columns.stream().anyMatch(InputColumn::isCategorical);
  }

  /**
   * The name of each model input: a numeric column's name, {@code column=category} for one-hot
   * inputs; empty when the inputs are not named.
   */
  public List<String> inputNames() {
    List<String> names = new ArrayList<>();
    for (InputColumn c : columns) {
      if (c.isCategorical()) {
        c.categories().forEach(v -> names.add(c.name() + "=" + v));
      } else {
        names.add(c.name());
      }
    }
    return names;
  }

  /** The factor raw values are multiplied by first. */
  public double inputScale() {
    return inputScale;
  }

  /** The fitted scaling applied after the input scale, if any. */
  public Optional<ScalerParams> scaling() {
    return Optional.ofNullable(scaling);
  }

  /** Whether the affine step changes nothing (no input scale, no scaling). */
  public boolean isIdentity() {
    return inputScale == 1 && scaling == null;
  }

  /**
   * Applies the affine step to {@code count} rows of {@link #width()} values in {@code rows},
   * starting at index 0, in place. The same float operations as the ONNX export's.
   */
  public void applyInPlace(float[] rows, int count) {
    int n = count * width;
    if (inputScale != 1) {
      float s = (float) inputScale;
      for (int i = 0; i < n; i++) {
        rows[i] *= s;
      }
    }
    if (scaling != null) {
      float[] offset = scaling.offset();
      float[] scale = scaling.scale();
      for (int i = 0; i < n; i++) {
        int f = i % width;
        rows[i] = (rows[i] - offset[f]) * scale[f];
      }
    }
  }

  /** A copy of {@code data} with the affine step applied (the data itself if it is an identity). */
  public DataSet apply(DataSet data) {
    checkWidth(data.featureCount());
    if (isIdentity()) {
      return data;
    }
    float[] copy = data.featuresView().clone();
    applyInPlace(copy, data.size());
    return data.withFeatures(copy, width);
  }

  /**
   * Refuses rows of the wrong width, naming what the model expects.
   *
   * @throws IllegalArgumentException naming the expected and the given width
   */
  public void checkWidth(int given) {
    if (given != width) {
      throw new IllegalArgumentException(
          "the rows have "
              + given
              + " features but the model takes "
              + width
              + (columns.isEmpty() ? "" : " (" + describeColumns() + ")"));
    }
  }

  private String describeColumns() {
    StringBuilder s = new StringBuilder();
    for (InputColumn c : columns) {
      if (s.length() > 200) {
        return s.append(", ...").toString();
      }
      s.append(s.length() == 0 ? "" : ", ").append(c.name());
      if (c.isCategorical()) {
        s.append(" as ").append(c.width()).append(" one-hot values");
      }
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p
        && columns.equals(p.columns)
        && width == p.width
        && inputScale == p.inputScale
        && Objects.equals(scaling, p.scaling);
  }

  @Override
  public int hashCode() {
    return Objects.hash(columns, width, inputScale, scaling);
  }

  @Override
  public String toString() {
    return "Preprocessing["
        + width
        + " inputs"
        + (columns.isEmpty() ? "" : ", " + columns.size() + " named columns")
        + (inputScale == 1 ? "" : ", input scale " + inputScale)
        + (scaling == null ? "" : ", " + scaling.kind())
        + "]";
  }
}
