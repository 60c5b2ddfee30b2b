package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import java.util.Random;

/**
 * Prints the bits the vector kernels built on exponentials produce from fixed inputs, one line per
 * kernel; {@link SeededRunsRepeatTest} runs it in child JVMs, interpreted and compiled, and
 * compares the lines. The argument is how many times to compute everything before printing: enough
 * rounds (with {@code -Xbatch}) make C2 compile the kernel loops first.
 */
final class KernelBits {
  private static final ActivationKind[] FORWARD = {
    ActivationKind.TANH,
    ActivationKind.SIGMOID,
    ActivationKind.SWISH,
    ActivationKind.SOFTPLUS,
    ActivationKind.ELU,
    ActivationKind.SELU
  };
  private static final ActivationKind[] BACKWARD = {
    ActivationKind.SIGMOID, ActivationKind.SWISH, ActivationKind.SOFTPLUS, ActivationKind.ELU
  };
  private static final int SIZE = 256;
  private static final int CLASSES = 16;

  private KernelBits() {}

  public static void main(String[] args) {
    int rounds = Integer.parseInt(args[0]);
    float[] z = inputs();
    float[] gradOut = new float[SIZE];
    float[] labels = new float[SIZE / CLASSES];
    Random random = new Random(7);
    for (int i = 0; i < SIZE; i++) {
      gradOut[i] = random.nextFloat() * 2 - 1;
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(CLASSES);
    }
    ActivationKernels activations = new VectorActivationKernels(null, VectorSwitch.ON);
    LossKernels losses = new VectorLossKernels(null, VectorSwitch.ON);
    StringBuilder report = new StringBuilder();
    for (int round = 0; round < rounds; round++) {
      report.setLength(0);
      for (ActivationKind kind : FORWARD) {
        float[] out = new float[SIZE];
        activations.forwardRange(kind, 1f, null, z, out, SIZE, 0, SIZE);
        line(report, kind + " forward", out);
      }
      for (ActivationKind kind : BACKWARD) {
        float[] out = new float[SIZE];
        float[] gradIn = new float[SIZE];
        activations.forwardRange(kind, 1f, null, z, out, SIZE, 0, SIZE);
        activations.backwardRange(kind, 1f, null, z, out, gradOut, gradIn, SIZE, 0, SIZE);
        line(report, kind + " backward", gradIn);
      }
      float[] grad = new float[SIZE];
      double loss =
          losses.crossEntropyRows(z, labels, grad, CLASSES, 1f / labels.length, 0, labels.length);
      line(report, "softmax cross-entropy " + Double.doubleToRawLongBits(loss), grad);
      float[] targets = new float[SIZE];
      for (int i = 0; i < SIZE; i++) {
        targets[i] = Math.abs(gradOut[i]);
      }
      loss = losses.binaryCrossEntropyRange(z, targets, grad, 1.0 / SIZE, 0, SIZE);
      line(report, "sigmoid binary cross-entropy " + Double.doubleToRawLongBits(loss), grad);
    }
    System.out.print(report);
  }

  /** Values across the activations' ranges, with their kinks, saturation points and the tiny. */
  private static float[] inputs() {
    float[] special = {
      0f,
      -0f,
      1e-30f,
      -1e-30f,
      Float.MIN_VALUE,
      1e-3f,
      -1e-3f,
      0.5f,
      -0.5f,
      9f,
      -9f,
      20f,
      -20f,
      88f,
      -88f,
      -100f
    };
    float[] z = new float[SIZE];
    System.arraycopy(special, 0, z, 0, special.length);
    Random random = new Random(42);
    for (int i = special.length; i < SIZE; i++) {
      z[i] = (random.nextFloat() * 2 - 1) * (i % 3 == 0 ? 1f : 12f);
    }
    return z;
  }

  private static void line(StringBuilder report, String name, float[] values) {
    report.append(name).append(':');
    for (float v : values) {
      report.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(v)));
    }
    report.append('\n');
  }
}
