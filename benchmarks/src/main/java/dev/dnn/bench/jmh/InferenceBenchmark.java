package dev.dnn.bench.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.cli.run.ExperimentPlan;
import dev.dnn.cli.run.Networks;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Model;
import dev.dnn.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Inference latency of dnn against ONNX Runtime Java on the same model: the tuned network,
 * 784-500-250-75-25-10 ReLU with seeded Glorot weights, exported by {@link OnnxExporter} and loaded
 * by both. Each call answers class probabilities for {@code batch} raw rows. One model (and one ORT
 * session) serves every calling thread, as a server shares it; pick the callers with JMH's {@code
 * -t} (1, 2 and 8 in BENCHMARKS.md). ONNX Runtime gets as many intra-op threads as the CPU backend
 * computes with ({@link CpuBackend#defaultThreads()}, the processors unless {@code
 * -Ddnn.cpu.threads} says otherwise), so both use the same cores. Run in {@code avgt} for means and
 * {@code sample} for p50 and p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class InferenceBenchmark {
  /** Rows per call. */
  @Param({"1", "16", "512"})
  public int batch;

  /**
   * Microseconds each calling thread spins before each call, outside the measured time (an
   * invocation-level setup): requests that come with pauses, as a server meets them, during which
   * the libraries' worker threads may park. 0 calls back to back.
   */
  @Param({"0"})
  public int pauseMicros;

  private Backend backend;
  private Model model;
  private Path onnx;
  private OrtEnvironment env;
  private OrtSession session;

  /**
   * Builds the model, exports it and opens the ONNX Runtime session on the file. In the yardstick's
   * own fork the model is built on the plain kernels: the Vector API kernels' warm-up thread would
   * otherwise run its rounds beside ONNX Runtime for the first seconds of the fork and slow the
   * yardstick, not dnn.
   */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws IOException, OrtException {
    if (params.getBenchmark().endsWith(".onnxRuntime")) {
      System.setProperty("dnn.cpu.vector", "false");
    }
    RunConfig config =
        new RunConfig(
            "benchmark",
            ExperimentPlan.FUNNEL,
            ActivationKind.RELU,
            Activation.suitedInit(ActivationKind.RELU),
            "adam",
            1e-3,
            512,
            1,
            0,
            1);
    backend = BenchmarkBackends.open("cpu");
    model = Networks.classifier(config, TrainingStep.FEATURES, TrainingStep.CLASSES).on(backend, 1);
    onnx = Files.createTempFile("inference-benchmark", ".onnx");
    OnnxExporter.export(model, onnx);
    env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(CpuBackend.defaultThreads());
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(onnx.toString(), options);
    }
  }

  /** Closes the session and the model, and deletes the exported file. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException, OrtException {
    if (session != null) {
      session.close();
    }
    if (model != null) {
      model.close();
    }
    if (backend != null) {
      backend.close();
    }
    if (onnx != null) {
      Files.deleteIfExists(onnx);
    }
  }

  /** One calling thread's rows, its ONNX Runtime input over them, and its output array. */
  @State(Scope.Thread)
  public static class Caller {
    float[][] rows;
    float[] flat;
    float[] out;
    OnnxTensor ortInput;

    /** Pixel-like rows in [0, 255], seeded per thread. */
    @Setup(Level.Trial)
    public void setUp(InferenceBenchmark bench) throws OrtException {
      Random random = new Random(Thread.currentThread().getId());
      rows = new float[bench.batch][TrainingStep.FEATURES];
      flat = new float[bench.batch * TrainingStep.FEATURES];
      for (int r = 0; r < rows.length; r++) {
        for (int c = 0; c < TrainingStep.FEATURES; c++) {
          rows[r][c] = random.nextInt(256);
          flat[r * TrainingStep.FEATURES + c] = rows[r][c];
        }
      }
      out = new float[bench.batch * TrainingStep.CLASSES];
      ortInput =
          OnnxTensor.createTensor(
              bench.env, FloatBuffer.wrap(flat), new long[] {bench.batch, TrainingStep.FEATURES});
    }

    /**
     * The pause before a call ({@link #pauseMicros}), on a spinning thread, so its core stays up.
     */
    @Setup(Level.Invocation)
    public void pause(InferenceBenchmark bench) {
      long end = System.nanoTime() + bench.pauseMicros * 1_000L;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    }

    /** Frees the input tensor. */
    @TearDown(Level.Trial)
    public void tearDown() {
      ortInput.close();
    }
  }

  /** dnn's batch API: {@code Model.predict(float[][])}. */
  @Benchmark
  public float[][] dnn(Caller caller) {
    return model.predict(caller.rows);
  }

  /**
   * dnn's latency path: {@code Model.predict(float[] rows, float[] out)}, the rows back to back in
   * one array and the probabilities written into the caller's.
   */
  @Benchmark
  public float[] dnnRows(Caller caller) {
    model.predict(caller.flat, caller.out);
    return caller.out;
  }

  /**
   * ONNX Runtime on its best terms: the input tensor made once per thread, the probabilities copied
   * into the caller's array.
   */
  @Benchmark
  public float[] onnxRuntime(Caller caller) throws OrtException {
    try (OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, caller.ortInput))) {
      ((OnnxTensor) result.get(0)).getFloatBuffer().get(caller.out);
      return caller.out;
    }
  }
}
