package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import java.util.Arrays;

/**
 * Bias + activation forward, activation backward, the PReLU slope gradient and maxout, split over
 * threads (the family of {@code native/src/activations.cu}). This is the plain-Java form; {@link
 * VectorActivationKernels} overrides the element ranges it computes with the Vector API.
 */
class ActivationKernels {
  final Parallel parallel;

  ActivationKernels(Parallel parallel) {
    this.parallel = parallel;
  }

  /** {@code out[i] = f(z[i])} for i in [from, to); see {@link Activations#forward}. */
  void forwardRange(
      ActivationKind kind,
      float alpha,
      float[] slopes,
      float[] z,
      float[] out,
      int cols,
      int from,
      int to) {
    Activations.forward(kind, alpha, slopes, z, out, cols, from, to);
  }

  /** {@code gradIn[i] = gradOut[i] f'(z[i])} for i in [from, to); see {@link Activations}. */
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
    Activations.backward(kind, alpha, slopes, z, out, gradOut, gradIn, cols, from, to);
  }

  /** {@code z += bias} (per column, when bias is not null), then {@code out = f(z)}. */
  void biasForward(
      ActivationKind kind,
      float alpha,
      float[] slopes,
      float[] z,
      float[] bias,
      float[] out,
      int rows,
      int cols) {
    long work = (long) cols * (1 + Activations.cost(kind));
    if (!parallel.splits(rows, work)) {
      // On the caller, without a lambda to allocate: every layer of a small prediction.
      biasForwardRows(kind, alpha, slopes, z, bias, out, cols, 0, rows);
      return;
    }
    parallel.forRange(
        rows,
        work,
        (from, to) -> biasForwardRows(kind, alpha, slopes, z, bias, out, cols, from, to));
  }

  private void biasForwardRows(
      ActivationKind kind,
      float alpha,
      float[] slopes,
      float[] z,
      float[] bias,
      float[] out,
      int cols,
      int from,
      int to) {
    if (bias != null) {
      for (int i = from; i < to; i++) {
        int base = i * cols;
        for (int j = 0; j < cols; j++) {
          z[base + j] += bias[j];
        }
      }
    }
    forwardRange(kind, alpha, slopes, z, out, cols, from * cols, to * cols);
  }

  void backward(
      ActivationKind kind,
      float alpha,
      float[] slopes,
      float[] z,
      float[] out,
      float[] gradOut,
      float[] gradIn,
      int cols) {
    parallel.forRange(
        z.length,
        Activations.cost(kind),
        (from, to) -> backwardRange(kind, alpha, slopes, z, out, gradOut, gradIn, cols, from, to));
  }

  /** {@code gradSlopes[j] = sum_i (z < 0 ? gradOut z : 0) + beta gradSlopes[j]}. */
  void preluSlopeGradient(
      float[] z, float[] gradOut, int rows, int cols, float beta, float[] gradSlopes) {
    parallel.forRange(
        cols,
        rows,
        (from, to) -> {
          int width = to - from;
          double[] acc = new double[width];
          for (int i = 0; i < rows; i++) {
            int base = i * cols + from;
            for (int j = 0; j < width; j++) {
              float zv = z[base + j];
              acc[j] += zv < 0f ? (double) gradOut[base + j] * zv : 0.0;
            }
          }
          for (int j = 0; j < width; j++) {
            double previous = beta == 0f ? 0.0 : beta * (double) gradSlopes[from + j];
            gradSlopes[from + j] = (float) (acc[j] + previous);
          }
        });
  }

  void maxoutForward(float[] z, int rows, int cols, int pieces, float[] out, float[] argmax) {
    parallel.forRange(
        rows,
        (long) cols * pieces,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            for (int j = 0; j < cols; j++) {
              int base = i * cols * pieces + j * pieces;
              float best = z[base];
              int winner = 0;
              for (int p = 1; p < pieces; p++) {
                if (z[base + p] > best) {
                  best = z[base + p];
                  winner = p;
                }
              }
              out[i * cols + j] = best;
              argmax[i * cols + j] = winner;
            }
          }
        });
  }

  void maxoutBackward(
      float[] gradOut, float[] argmax, int rows, int cols, int pieces, float[] gradIn) {
    parallel.forRange(
        rows,
        (long) cols * pieces,
        (from, to) -> {
          Arrays.fill(gradIn, from * cols * pieces, to * cols * pieces, 0f);
          for (int i = from; i < to; i++) {
            for (int j = 0; j < cols; j++) {
              int winner = (int) argmax[i * cols + j];
              gradIn[i * cols * pieces + j * pieces + winner] = gradOut[i * cols + j];
            }
          }
        });
  }
}
