package dev.dnn.bench.jmh;

import dev.dnn.cpu.CpuBackend;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * Single-precision GEMM throughput of the pure-Java CPU backend against OpenBLAS's {@code
 * cblas_sgemm} on the same data and the same number of threads. The primary score is products per
 * second; the secondary metric {@code multiply:gflops} is GFLOP/s ({@code 2 m n k} floating-point
 * operations per product).
 *
 * <p>Shapes are written {@code label:MxNxK:TT}: C is {@code M x N}, the shared dimension is {@code
 * K}, and {@code TT} says whether A and B are transposed (N or T). Besides square products they
 * cover a 784-500-250-75-25-10 network at batch 512: per layer the forward product {@code X W}
 * (NN), the weight gradient {@code X^T dY} (TN) and the input gradient {@code dY W^T} (NT).
 *
 * <p>OpenBLAS takes its thread count from {@code OPENBLAS_NUM_THREADS} when it loads; set it to the
 * same number as {@code threads} (all processors by default). Run with, for example: {@code
 * OPENBLAS_NUM_THREADS=2 java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main
 * GemmBenchmark -wi 2 -i 3 -f 1 -p shape=square:1024x1024x1024:NN}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {
  /** The product shape, {@code label:MxNxK:TT}. */
  @Param({
    "square:256x256x256:NN",
    "square:512x512x512:NN",
    "square:1024x1024x1024:NN",
    "square:2048x2048x2048:NN",
    "fc1.forward:512x500x784:NN",
    "fc1.weightGrad:784x500x512:TN",
    "fc1.inputGrad:512x784x500:NT",
    "fc2.forward:512x250x500:NN",
    "fc2.weightGrad:500x250x512:TN",
    "fc2.inputGrad:512x500x250:NT",
    "fc3.forward:512x75x250:NN",
    "fc3.weightGrad:250x75x512:TN",
    "fc3.inputGrad:512x250x75:NT",
    "fc4.forward:512x25x75:NN",
    "fc4.weightGrad:75x25x512:TN",
    "fc4.inputGrad:512x75x25:NT",
    "fc5.forward:512x10x25:NN",
    "fc5.weightGrad:25x10x512:TN",
    "fc5.inputGrad:512x25x10:NT",
  })
  public String shape;

  /** {@code dnn} (the CPU backend) or {@code openblas}. */
  @Param({"dnn", "openblas"})
  public String implementation;

  /** Threads for both implementations; 0 means all available processors. */
  @Param({"0"})
  public int threads;

  private GemmShape gemm;
  private CpuBackend backend;
  private Tensor a;
  private Tensor b;
  private Tensor c;
  private FloatPointer nativeA;
  private FloatPointer nativeB;
  private FloatPointer nativeC;

  /** Counts floating-point work so JMH reports it per second: GFLOP/s. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    /** Billions of floating-point operations done in this iteration. */
    public double gflops;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      gflops = 0;
    }
  }

  /** Allocates the operands with the same random values for both implementations. */
  @Setup(Level.Trial)
  public void setUp() {
    gemm = GemmShape.parse(shape);
    int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    Random random = new Random(1);
    float[] hostA = randoms(random, gemm.m() * gemm.k());
    float[] hostB = randoms(random, gemm.k() * gemm.n());
    switch (implementation) {
      case "dnn" -> {
        backend = new CpuBackend(workers);
        a = backend.fromHost(hostA, gemm.shapeOfA());
        b = backend.fromHost(hostB, gemm.shapeOfB());
        c = backend.zeros(Shape.matrix(gemm.m(), gemm.n()));
      }
      case "openblas" -> {
        // The bindings do not expose openblas_set_num_threads: OpenBLAS reads its thread count
        // from the environment when it loads, so a fair run sets it to the same value.
        String openBlasThreads = System.getenv("OPENBLAS_NUM_THREADS");
        if (!String.valueOf(workers).equals(openBlasThreads)) {
          System.err.println(
              "warning: OPENBLAS_NUM_THREADS="
                  + openBlasThreads
                  + " but dnn uses "
                  + workers
                  + " threads; set OPENBLAS_NUM_THREADS="
                  + workers
                  + " for a fair comparison");
        }
        nativeA = new FloatPointer(hostA);
        nativeB = new FloatPointer(hostB);
        nativeC = new FloatPointer((long) gemm.m() * gemm.n());
      }
      default ->
          throw new IllegalArgumentException(
              "implementation must be dnn or openblas, got " + implementation);
    }
  }

  /** Releases the operands and the backend's threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (backend != null) {
      a.close();
      b.close();
      c.close();
      backend.close();
    }
    if (nativeA != null) {
      nativeA.close();
      nativeB.close();
      nativeC.close();
    }
  }

  /** One product {@code C = op(A) op(B)}. */
  @Benchmark
  public void multiply(Flops flops) {
    if (backend != null) {
      backend.gemm(gemm.transposeA(), gemm.transposeB(), 1f, a, b, 0f, c);
    } else {
      openblas_nolapack.cblas_sgemm(
          openblas_nolapack.CblasRowMajor,
          gemm.transposeA() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
          gemm.transposeB() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
          gemm.m(),
          gemm.n(),
          gemm.k(),
          1f,
          nativeA,
          gemm.shapeOfA().cols(),
          nativeB,
          gemm.shapeOfB().cols(),
          0f,
          nativeC,
          gemm.n());
    }
    flops.gflops += gemm.flops() * 1e-9;
  }

  private static float[] randoms(Random random, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = random.nextFloat() * 2f - 1f;
    }
    return x;
  }
}
