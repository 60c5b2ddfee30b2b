package dev.dnn.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The parameters of a fitted {@link FeatureScaler}: {@code x' = (x - offset[f]) * scale[f]}. Model
 * files store it as the JSON {@code {"kind":..., "offset":[...], "scale":[...]}}.
 *
 * <p>Holds its arrays as given, not copied: safe to share between threads as long as no one writes
 * them.
 *
 * @param kind what fitted them ({@code "standardize"}, {@code "min-max"}), for readers
 * @param offset subtracted from each feature
 * @param scale then multiplied into each feature
 */
public record ScalerParams(String kind, float[] offset, float[] scale) {
  /** Checks that both arrays have one finite entry per feature. */
  public ScalerParams {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(offset, "offset");
    Objects.requireNonNull(scale, "scale");
    if (offset.length != scale.length) {
      throw new IllegalArgumentException(
          "offset has " + offset.length + " features, scale " + scale.length);
    }
    for (int f = 0; f < offset.length; f++) {
      if (!Float.isFinite(offset[f]) || !Float.isFinite(scale[f])) {
        throw new IllegalArgumentException(
            "feature " + f + " has offset " + offset[f] + " and scale " + scale[f]);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScalerParams p
        && kind.equals(p.kind)
        && Arrays.equals(offset, p.offset)
        && Arrays.equals(scale, p.scale);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, Arrays.hashCode(offset), Arrays.hashCode(scale));
  }

  @Override
  public String toString() {
    return "ScalerParams[" + kind + ", " + offset.length + " features]";
  }
}
