package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The activations whose plain-Java form C2 does not vectorize (those built on exponentials, which
 * the plain form evaluates in double one element at a time), on the Vector API, through {@link
 * VectorMath}: a few ulps from the exact value, within the conformance tolerance of 32 float
 * epsilons, and the same bits compiled or interpreted, so a seeded run repeats. Other kinds, whose
 * plain loops C2 already vectorizes, and the tails of ranges keep the plain-Java form. Values at
 * the kinks follow the plain form.
 */
final class VectorActivationKernels extends ActivationKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final float SELU_ALPHA = (float) ActivationKind.SELU_ALPHA;
  private static final float SELU_LAMBDA = (float) ActivationKind.SELU_LAMBDA;

  /**
   * Whether the vector forms run: once the warm-up has compiled them, at the first call's request
   * ({@link VectorSwitch#request}), the plain ones (the same bits) till then.
   */
  private final VectorSwitch vectors;

  /**
   * Kernels whose vector forms run when {@code vectors} says so: on request ({@link
   * VectorWarmUp.Family}) for the backend, {@link VectorSwitch#ON} for the warm-up and tests.
   */
  VectorActivationKernels(Parallel parallel, VectorSwitch vectors) {
    super(parallel);
    this.vectors = vectors;
  }

  @Override
  void forwardRange(
      ActivationKind kind,
      float alpha,
      float[] slopes,
      float[] z,
      float[] out,
      int cols,
      int from,
      int to) {
    if (!vectors.on()) {
      if (hasVectorForm(kind)) {
        vectors.request();
      }
      super.forwardRange(kind, alpha, slopes, z, out, cols, from, to);
      return;
    }
    int end = from + SPECIES.loopBound(to - from);
    switch (kind) {
      case TANH -> {
        for (int i = from; i < end; i += LANES) {
          VectorMath.tanh(FloatVector.fromArray(SPECIES, z, i)).intoArray(out, i);
        }
      }
      case SIGMOID -> {
        for (int i = from; i < end; i += LANES) {
          sigmoid(FloatVector.fromArray(SPECIES, z, i)).intoArray(out, i);
        }
      }
      case SWISH -> {
        for (int i = from; i < end; i += LANES) {
          FloatVector x = FloatVector.fromArray(SPECIES, z, i);
          x.mul(sigmoid(x)).intoArray(out, i);
        }
      }
      case SOFTPLUS -> {
        for (int i = from; i < end; i += LANES) {
          // max(z, 0) + ln(1 + e^-|z|): no overflow for any z.
          FloatVector x = FloatVector.fromArray(SPECIES, z, i);
          FloatVector tail = VectorMath.log1pUnit(VectorMath.exp(x.abs().neg()));
          x.max(0f).add(tail).intoArray(out, i);
        }
      }
      case ELU, SELU -> {
        float scale = kind == ActivationKind.ELU ? alpha : SELU_ALPHA;
        float outer = kind == ActivationKind.ELU ? 1f : SELU_LAMBDA;
        for (int i = from; i < end; i += LANES) {
          FloatVector x = FloatVector.fromArray(SPECIES, z, i);
          VectorMask<Float> positive = x.compare(VectorOperators.GT, 0f);
          FloatVector negative = VectorMath.expm1NonPositive(x.min(0f)).mul(scale);
          negative.blend(x, positive).mul(outer).intoArray(out, i);
        }
      }
      default -> end = from;
    }
    super.forwardRange(kind, alpha, slopes, z, out, cols, end, to);
  }

  @Override
  void backwardRange(
      ActivationKind kind,
      float alpha,
      float[] slopes,
      float[] z,
      float[] out,
      float[] gradOut,
      float[] gradIn,
      int cols,
      int from,
      int to) {
    if (!vectors.on()) {
      if (hasVectorForm(kind)) {
        vectors.request();
      }
      super.backwardRange(kind, alpha, slopes, z, out, gradOut, gradIn, cols, from, to);
      return;
    }
    int end = from + SPECIES.loopBound(to - from);
    switch (kind) {
      case SOFTPLUS -> {
        for (int i = from; i < end; i += LANES) {
          FloatVector s = sigmoid(FloatVector.fromArray(SPECIES, z, i));
          FloatVector.fromArray(SPECIES, gradOut, i).mul(s).intoArray(gradIn, i);
        }
      }
      case SWISH -> {
        for (int i = from; i < end; i += LANES) {
          // d/dz z s(z) = s (1 + z (1 - s))
          FloatVector x = FloatVector.fromArray(SPECIES, z, i);
          FloatVector s = sigmoid(x);
          FloatVector d = s.mul(x.mul(s.neg().add(1f)).add(1f));
          FloatVector.fromArray(SPECIES, gradOut, i).mul(d).intoArray(gradIn, i);
        }
      }
      case ELU, SELU -> {
        float negative = kind == ActivationKind.ELU ? alpha : SELU_LAMBDA * SELU_ALPHA;
        float positive = kind == ActivationKind.ELU ? 1f : SELU_LAMBDA;
        for (int i = from; i < end; i += LANES) {
          FloatVector x = FloatVector.fromArray(SPECIES, z, i);
          VectorMask<Float> above = x.compare(VectorOperators.GT, 0f);
          FloatVector d =
              VectorMath.exp(x)
                  .mul(negative)
                  .blend(FloatVector.broadcast(SPECIES, positive), above);
          FloatVector.fromArray(SPECIES, gradOut, i).mul(d).intoArray(gradIn, i);
        }
      }
      default -> end = from;
    }
    super.backwardRange(kind, alpha, slopes, z, out, gradOut, gradIn, cols, end, to);
  }

  /**
   * Whether the kind's forward pass has a vector form here (the backward passes of those kinds
   * either have one or read only the forward's output): the kinds a network must use before the
   * warm-up compiles this class's forms.
   */
  static boolean hasVectorForm(ActivationKind kind) {
    return switch (kind) {
      case TANH, SIGMOID, SWISH, SOFTPLUS, ELU, SELU -> true;
      default -> false;
    };
  }

  /** 1 / (1 + e^-z): e^-z overflows to infinity below z = -88, giving 0 as it should. */
  private static FloatVector sigmoid(FloatVector x) {
    FloatVector one = FloatVector.broadcast(SPECIES, 1f);
    return one.div(VectorMath.exp(x.neg()).add(one));
  }
}
