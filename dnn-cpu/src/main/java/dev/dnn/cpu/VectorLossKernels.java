package dev.dnn.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The losses built on exponentials, whose plain form evaluates {@code Math.exp} in double one
 * element at a time, on the Vector API: {@code lanewise(EXP)} and {@code LOG1P} in float, a few
 * ulps from the exact value, the sums still in double. Softmax + cross-entropy takes one
 * exponential per logit (the plain form takes two), over all logits of a chunk of rows at once, so
 * that ten classes fill a vector as well as a thousand. Mean squared error keeps its plain form (no
 * exponential).
 */
final class VectorLossKernels extends LossKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final VectorSpecies<Double> WIDE = DoubleVector.SPECIES_PREFERRED;

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
      FloatVector.fromArray(SPECIES, e, k).lanewise(VectorOperators.EXP).intoArray(e, k);
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

  @Override
  double binaryCrossEntropyRange(
      float[] logits, float[] targets, float[] grad, double inv, int from, int to) {
    float scale = (float) inv;
    FloatVector one = FloatVector.broadcast(SPECIES, 1f);
    DoubleVector low = DoubleVector.zero(WIDE);
    DoubleVector high = low;
    int end = from + SPECIES.loopBound(to - from);
    for (int i = from; i < end; i += LANES) {
      FloatVector z = FloatVector.fromArray(SPECIES, logits, i);
      FloatVector t = FloatVector.fromArray(SPECIES, targets, i);
      // max(z, 0) - z t + ln(1 + e^-|z|), and the sigmoid from the same e^-|z|.
      FloatVector e = z.abs().neg().lanewise(VectorOperators.EXP);
      FloatVector loss = z.max(0f).sub(z.mul(t)).add(e.lanewise(VectorOperators.LOG1P));
      FloatVector denominator = e.add(one);
      VectorMask<Float> negative = z.compare(VectorOperators.LT, 0f);
      FloatVector sigmoid = one.blend(e, negative).div(denominator);
      sigmoid.sub(t).mul(scale).intoArray(grad, i);
      // The loss terms are summed in double, as the plain form does: widen each half.
      low = low.add((DoubleVector) loss.convertShape(VectorOperators.F2D, WIDE, 0));
      high = high.add((DoubleVector) loss.convertShape(VectorOperators.F2D, WIDE, 1));
    }
    double partial = low.add(high).reduceLanes(VectorOperators.ADD);
    return partial + super.binaryCrossEntropyRange(logits, targets, grad, inv, end, to);
  }
}
