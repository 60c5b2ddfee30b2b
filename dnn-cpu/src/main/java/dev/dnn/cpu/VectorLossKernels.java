package dev.dnn.cpu;

import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax + cross-entropy on the Vector API: one float exponential per logit (the plain form takes
 * two double {@code Math.exp}), over all the logits of a chunk of rows at once, so that ten classes
 * fill a vector as well as a thousand; the row sums stay in double. The exponential is built from
 * exactly rounded operations (see {@link VectorMath}), so a seeded run repeats bit for bit. Sigmoid
 * + binary cross-entropy takes the same route, its logarithm from {@link VectorMath#log1pUnit} (its
 * first vector form, on {@code lanewise(EXP)} and {@code LOG1P}, was fast but not repeatable). Mean
 * squared error keeps its plain form: it has no exponential.
 */
final class VectorLossKernels extends LossKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  VectorLossKernels(Parallel parallel) {
    super(parallel);
  }

  @Override
  double crossEntropyRows(
      float[] logits, float[] labels, float[] grad, int cols, float invRows, int from, int to) {
    int rows = to - from;
    int n = rows * cols;
    int first = from * cols;
    float[] e = new float[n];
    float[] maxima = new float[rows];
    int[] classes = new int[rows];
    double partial = 0;
    for (int r = 0; r < rows; r++) {
      int i = from + r;
      int base = i * cols;
      classes[r] = classIndex(labels[i], cols, i);
      float max = rowMax(logits, base, cols);
      maxima[r] = max;
      // Read before the gradient is written, in case grad aliases logits.
      partial += max - logits[base + classes[r]];
      for (int j = 0; j < cols; j++) {
        e[r * cols + j] = logits[base + j] - max;
      }
    }
    int end = SPECIES.loopBound(n);
    for (int k = 0; k < end; k += LANES) {
      VectorMath.exp(FloatVector.fromArray(SPECIES, e, k)).intoArray(e, k);
    }
    for (int k = end; k < n; k++) {
      e[k] = (float) Math.exp(e[k]);
    }
    for (int r = 0; r < rows; r++) {
      int offset = r * cols;
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += e[offset + j];
      }
      partial += Math.log(sum);
      float scale = (float) (invRows / sum);
      int base = first + offset;
      for (int j = 0; j < cols; j++) {
        grad[base + j] = e[offset + j] * scale;
      }
      int label = classes[r];
      grad[base + label] = (float) ((e[offset + label] / sum - 1.0) * invRows);
    }
    return partial;
  }

  /**
   * The loss terms {@code max(z, 0) - z t + ln(1 + e^-|z|)} in float on the Vector API, through
   * {@link VectorMath}, summed in double over four partial sums; the gradient {@code (sigmoid(z) -
   * t) / n}.
   */
  @Override
  double binaryCrossEntropyRange(
      float[] logits, float[] targets, float[] grad, double inv, int from, int to) {
    int end = from + SPECIES.loopBound(to - from);
    float[] terms = new float[end - from];
    float scale = (float) inv;
    for (int i = from; i < end; i += LANES) {
      FloatVector z = FloatVector.fromArray(SPECIES, logits, i);
      FloatVector t = FloatVector.fromArray(SPECIES, targets, i);
      FloatVector e = VectorMath.exp(z.abs().neg());
      FloatVector tail = VectorMath.log1pUnit(e);
      t.neg().fma(z, z.max(0f)).add(tail).intoArray(terms, i - from);
      // Read before the gradient is written, in case grad aliases logits.
      // sigmoid(z) = 1 / (1 + e^-|z|) for z at least 0, e^-|z| / (1 + e^-|z|) below: one
      // exponential.
      FloatVector numerator = FloatVector.broadcast(SPECIES, 1f).blend(e, z.compare(LT, 0f));
      numerator.div(e.add(1f)).sub(t).mul(scale).intoArray(grad, i);
    }
    return sum(terms) + super.binaryCrossEntropyRange(logits, targets, grad, inv, end, to);
  }

  /**
   * The sum in double, over four interleaved partial sums (one chain of dependent additions would
   * bound the loss to one term per addition latency), combined in a fixed order.
   */
  private static double sum(float[] terms) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int end = terms.length & ~3;
    for (int k = 0; k < end; k += 4) {
      s0 += terms[k];
      s1 += terms[k + 1];
      s2 += terms[k + 2];
      s3 += terms[k + 3];
    }
    for (int k = end; k < terms.length; k++) {
      s0 += terms[k];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
