package dev.dnn.init;

import dev.dnn.names.NameRegistry;
import dev.dnn.random.Philox;
import java.util.List;
import java.util.Map;

/**
 * Weight initialization schemes. Values are generated on the host from {@link Philox}, addressed by
 * {@code (seed, stream, element)}, and then uploaded, so every backend starts from the same numbers
 * for the same seed.
 *
 * <p>For a weight matrix of {@code fanIn} inputs and {@code fanOut} outputs: Glorot (Xavier) scales
 * by {@code 2 / (fanIn + fanOut)}, He by {@code 2 / fanIn}, LeCun by {@code 1 / fanIn}. Normal
 * variants draw from {@code N(0, variance)}; uniform variants from {@code U(-limit, limit)} with
 * {@code limit = sqrt(3 variance)}, which has the same variance.
 *
 * <p>Names ({@link #named}): each scheme's constant in lower case with {@code -} for {@code _}
 * ({@code he-uniform}), except that the variants Keras uses by default go by the family's name:
 * {@code glorot} (Glorot uniform), {@code he} (He normal), {@code lecun} (LeCun normal); their long
 * names ({@code glorot-uniform}) are accepted too.
 *
 * <p>Immutable and safe to share between threads.
 */
public enum Init {
  /** Glorot/Xavier normal: variance {@code 2 / (fanIn + fanOut)}. */
  GLOROT_NORMAL(true),
  /** Glorot/Xavier uniform: limit {@code sqrt(6 / (fanIn + fanOut))}. */
  GLOROT_UNIFORM(false),
  /** He (Kaiming) normal: variance {@code 2 / fanIn}, for ReLU networks. */
  HE_NORMAL(true),
  /** He (Kaiming) uniform: limit {@code sqrt(6 / fanIn)}. */
  HE_UNIFORM(false),
  /** LeCun normal: variance {@code 1 / fanIn}, for SELU networks. */
  LECUN_NORMAL(true),
  /** LeCun uniform: limit {@code sqrt(3 / fanIn)}. */
  LECUN_UNIFORM(false),
  /** All zeros (the default for biases). */
  ZEROS(false);

  private static final NameRegistry<Init> NAMES =
      NameRegistry.ofEnum(
          "initializer",
          Init.class,
          Map.of(GLOROT_UNIFORM, "glorot", HE_NORMAL, "he", LECUN_NORMAL, "lecun"));

  private final boolean normal;

  Init(boolean normal) {
    this.normal = normal;
  }

  /**
   * The scheme of a name such as {@code he}, {@code glorot-normal} or {@code HE_UNIFORM}.
   *
   * @throws IllegalArgumentException naming the unknown name and listing the valid ones
   */
  public static Init named(String name) {
    return NAMES.named(name);
  }

  /** The canonical names of every scheme, in declaration order. */
  public static List<String> names() {
    return NAMES.names();
  }

  /** The canonical name of this scheme, such as {@code he} or {@code glorot-normal}. */
  public String registeredName() {
    return NAMES.nameOf(this);
  }

  /** The variance of the distribution this scheme draws from. */
  public double variance(int fanIn, int fanOut) {
    return switch (this) {
      case GLOROT_NORMAL, GLOROT_UNIFORM -> 2.0 / (fanIn + fanOut);
      case HE_NORMAL, HE_UNIFORM -> 2.0 / fanIn;
      case LECUN_NORMAL, LECUN_UNIFORM -> 1.0 / fanIn;
      case ZEROS -> 0.0;
    };
  }

  /**
   * Generates {@code count} values on the host.
   *
   * @param stream a Philox stream unique to the layer and parameter (any value; the library's own
   *     layers derive one from their index and the parameter's)
   */
  public float[] generate(int fanIn, int fanOut, int count, long seed, long stream) {
    if (fanIn < 1 || fanOut < 1) {
      throw new IllegalArgumentException(
          "fan-in and fan-out must be positive, got " + fanIn + " and " + fanOut);
    }
    float[] values = new float[count];
    double variance = variance(fanIn, fanOut);
    if (variance == 0.0) {
      return values;
    }
    if (normal) {
      double std = Math.sqrt(variance);
      for (int i = 0; i < count; i++) {
        values[i] = (float) (std * Philox.normal(seed, stream, i));
      }
    } else {
      double limit = Math.sqrt(3.0 * variance);
      Philox.fillUniform(seed, stream, 0, values, 0, count);
      for (int i = 0; i < count; i++) {
        values[i] = (float) (limit * (2.0 * values[i] - 1.0));
      }
    }
    return values;
  }
}
