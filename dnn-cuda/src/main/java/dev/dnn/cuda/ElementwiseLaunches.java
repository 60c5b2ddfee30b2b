package dev.dnn.cuda;

import static dev.dnn.cuda.DeviceContext.launch;

import dev.dnn.backend.KernelChecks;
import dev.dnn.tensor.Tensor;

/**
 * The element-wise ops of {@link CudaBackend}: the launchers of {@code native/src/elementwise.cu}.
 */
final class ElementwiseLaunches {
  private final DeviceContext device;

  ElementwiseLaunches(DeviceContext device) {
    this.device = device;
  }

  void fill(Tensor t, float value) {
    launch(DnnKernels.fill(device.address(t, "fill", "t"), t.size(), value, device.stream), "fill");
  }

  void copy(Tensor src, Tensor dst) {
    String op = "copy";
    KernelChecks.copy(src, dst);
    launch(
        DnnKernels.copy(
            device.address(src, op, "src"),
            device.address(dst, op, "dst"),
            src.size(),
            device.stream),
        op);
  }

  void scale(Tensor t, float alpha) {
    launch(
        DnnKernels.scale(device.address(t, "scale", "t"), t.size(), alpha, device.stream), "scale");
  }

  void axpy(float alpha, Tensor x, Tensor y) {
    String op = "axpy";
    KernelChecks.axpy(x, y);
    launch(
        DnnKernels.axpy(
            alpha, device.address(x, op, "x"), device.address(y, op, "y"), x.size(), device.stream),
        op);
  }

  void add(Tensor a, Tensor b, Tensor out) {
    String op = "add";
    KernelChecks.add(a, b, out);
    launch(
        DnnKernels.add(
            device.address(a, op, "a"),
            device.address(b, op, "b"),
            device.address(out, op, "out"),
            a.size(),
            device.stream),
        op);
  }

  void multiply(Tensor a, Tensor b, Tensor out) {
    String op = "multiply";
    KernelChecks.multiply(a, b, out);
    launch(
        DnnKernels.multiply(
            device.address(a, op, "a"),
            device.address(b, op, "b"),
            device.address(out, op, "out"),
            a.size(),
            device.stream),
        op);
  }

  void fillUniform(Tensor t, float low, float high, long seed, long stream) {
    String op = "fillUniform";
    launch(
        DnnKernels.fillUniform(
            device.address(t, op, "t"), t.size(), low, high, seed, stream, device.stream),
        op);
  }

  void dropoutForward(
      Tensor x, float keepProbability, long seed, long stream, Tensor mask, Tensor out) {
    String op = "dropoutForward";
    KernelChecks.dropoutForward(x, keepProbability, mask, out);
    launch(
        DnnKernels.dropoutForward(
            device.address(x, op, "x"),
            x.size(),
            keepProbability,
            seed,
            stream,
            device.address(mask, op, "mask"),
            device.address(out, op, "out"),
            device.stream),
        op);
  }

  void dropoutBackward(Tensor gradOut, Tensor mask, Tensor gradIn) {
    String op = "dropoutBackward";
    KernelChecks.dropoutBackward(gradOut, mask, gradIn);
    launch(
        DnnKernels.dropoutBackward(
            device.address(gradOut, op, "gradOut"),
            device.address(mask, op, "mask"),
            device.address(gradIn, op, "gradIn"),
            gradOut.size(),
            device.stream),
        op);
  }
}
