package dev.dnn.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax + cross-entropy on the Vector API: one float exponential per logit (the plain form takes
 * two double {@code Math.exp}), over all the logits of a chunk of rows at once, so that ten classes
 * fill a vector as well as a thousand; the row sums stay in double. The exponential is built from
 * exactly rounded operations (see {@link #exp}), so a seeded run repeats bit for bit. Sigmoid +
 * binary cross-entropy and mean squared error keep their plain forms: the first would need a
 * logarithm built the same way (with {@code lanewise(EXP)} and {@code LOG1P} it ran 19x faster, but
 * not repeatably), the second has no exponential.
 */
final class VectorLossKernels extends LossKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final float LOG2E = (float) (1 / Math.log(2));
  private static final float ROUNDER = 0x1.8p23f;
  private static final float LN2_HIGH = 0x1.62e4p-1f; // few bits: n * LN2_HIGH is exact
  private static final float LN2_LOW = (float) (Math.log(2) - 0x1.62e4p-1);

  /** 1/6!, 1/5!, ..., 1/0!: Horner's order after 1/7!. */
  private static final float[] TAYLOR = {1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};

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
      exp(FloatVector.fromArray(SPECIES, e, k)).intoArray(e, k);
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
   * e^x for x at most 0 (a logit less its row's maximum), from IEEE additions, multiplications and
   * fused multiply-adds only, which give the same bits whether C2 has compiled the loop or not:
   * {@code lanewise(EXP)} does not (compiled it calls the JDK's vector math library, before that
   * {@code Math.exp} lane by lane), which made seeded runs differ. x = n ln 2 + r with |r| at most
   * ln 2 / 2, e^r by its Taylor polynomial to r^7 (truncation below 6e-9 relative), 2^n from the
   * exponent bits; below -87 the result is 0 (e^-87 is under the smallest normal float).
   */
  static FloatVector exp(FloatVector x) {
    FloatVector t = x.mul(LOG2E);
    FloatVector n = t.add(ROUNDER).sub(ROUNDER); // rounds to the nearest integer
    FloatVector r = n.fma(FloatVector.broadcast(SPECIES, -LN2_HIGH), x);
    r = n.fma(FloatVector.broadcast(SPECIES, -LN2_LOW), r);
    FloatVector p = FloatVector.broadcast(SPECIES, 1f / 5040);
    for (float c : TAYLOR) {
      p = p.fma(r, FloatVector.broadcast(SPECIES, c));
    }
    IntVector exponent = (IntVector) n.convert(VectorOperators.F2I, 0);
    FloatVector scale = exponent.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return p.mul(scale).blend(0f, x.compare(VectorOperators.LT, -87f));
  }
}
