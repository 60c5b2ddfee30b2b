package dev.dnn.cpu;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.backend.MemoryStats;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.Arrays;

/**
 * The kernel contract in plain Java: float arrays on the heap, a size-keyed array pool, a packed
 * multi-threaded GEMM and element-wise kernels split over threads when they are large enough to
 * repay it. Operations run synchronously on the calling thread (helped by the workers).
 *
 * <p>The thread count defaults to the number of available processors and can be set with the system
 * property {@value #THREADS_PROPERTY} or the constructor.
 */
public final class CpuBackend implements Backend {
  /** System property that sets the number of threads (default: all available processors). */
  public static final String THREADS_PROPERTY = "dnn.cpu.threads";

  /** Elements per partial sum in reductions; fixed so results do not depend on thread count. */
  private static final int SUM_CHUNK = 4096;

  private final Parallel parallel;
  private final ArrayPool pool = new ArrayPool();
  private final PackedGemm gemm;
  private volatile boolean closed;

  /** A backend with {@link #defaultThreads()} threads. */
  public CpuBackend() {
    this(defaultThreads());
  }

  /**
   * A backend with the given number of threads, at least 1 and at most 8 per available processor
   * (at least 64). Its worker threads are daemons, stopped by {@link #close} or, if it is never
   * closed, after it becomes unreachable.
   */
  public CpuBackend(int threads) {
    this.parallel = new Parallel(threads);
    this.gemm = new PackedGemm(parallel);
  }

  /** The value of {@value #THREADS_PROPERTY}, or the number of available processors. */
  public static int defaultThreads() {
    String value = System.getProperty(THREADS_PROPERTY);
    if (value == null || value.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int threads = Integer.parseInt(value.trim());
      if (threads < 1) {
        throw new NumberFormatException("must be at least 1");
      }
      if (threads > Parallel.MAX_THREADS) {
        throw new IllegalArgumentException(
            "system property "
                + THREADS_PROPERTY
                + "="
                + threads
                + " exceeds the limit of "
                + Parallel.MAX_THREADS
                + " threads (8 per available processor, at least 64)");
      }
      return threads;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property " + THREADS_PROPERTY + "='" + value + "' is not a positive integer", e);
    }
  }

  /** The number of threads this backend computes with. */
  public int threads() {
    return parallel.threads();
  }

  // ---------------------------------------------------------------- identity and memory

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public String description() {
    return "pure Java, "
        + threads()
        + " threads, Java "
        + System.getProperty("java.version")
        + " on "
        + System.getProperty("os.arch");
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public Tensor zeros(Shape shape) {
    ensureOpen();
    float[] data = pool.acquire(shape.size());
    Arrays.fill(data, 0f);
    return new CpuTensor(this, data, shape);
  }

  @Override
  public Tensor fromHost(float[] data, Shape shape) {
    ensureOpen();
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "fromHost: " + data.length + " floats do not fill shape " + shape);
    }
    float[] array = pool.acquire(shape.size());
    System.arraycopy(data, 0, array, 0, data.length);
    return new CpuTensor(this, array, shape);
  }

  @Override
  public void copyFromHost(float[] src, int srcOffset, Tensor dst) {
    float[] d = data(dst, "copyFromHost");
    if (srcOffset < 0 || (long) srcOffset + d.length > src.length) {
      throw new IllegalArgumentException(
          "copyFromHost: "
              + d.length
              + " floats from offset "
              + srcOffset
              + " overrun a host array of "
              + src.length
              + " into "
              + dst);
    }
    System.arraycopy(src, srcOffset, d, 0, d.length);
  }

  @Override
  public void copyToHost(Tensor src, float[] dst, int dstOffset) {
    float[] s = data(src, "copyToHost");
    if (dstOffset < 0 || (long) dstOffset + s.length > dst.length) {
      throw new IllegalArgumentException(
          "copyToHost: "
              + src
              + " does not fit a host array of "
              + dst.length
              + " at offset "
              + dstOffset);
    }
    System.arraycopy(s, 0, dst, dstOffset, s.length);
  }

  @Override
  public void synchronize() {
    ensureOpen();
  }

  @Override
  public MemoryStats memoryStats() {
    return pool.stats();
  }

  @Override
  public void close() {
    closed = true;
    parallel.close();
    pool.clear();
  }

  void release(float[] array) {
    if (!closed) {
      pool.release(array);
    }
  }

  // ---------------------------------------------------------------- dense algebra

  @Override
  public void gemm(
      boolean transposeA,
      boolean transposeB,
      float alpha,
      Tensor a,
      Tensor b,
      float beta,
      Tensor c) {
    float[] da = data(a, "gemm");
    float[] db = data(b, "gemm");
    float[] dc = data(c, "gemm");
    int m = transposeA ? a.shape().cols() : a.shape().rows();
    int k = transposeA ? a.shape().rows() : a.shape().cols();
    int kb = transposeB ? b.shape().cols() : b.shape().rows();
    int n = transposeB ? b.shape().rows() : b.shape().cols();
    if (k != kb || c.shape().rows() != m || c.shape().cols() != n) {
      throw new IllegalArgumentException(
          "gemm: op(A) "
              + (transposeA ? "A^T" : "A")
              + " of "
              + a.shape()
              + " times "
              + (transposeB ? "B^T" : "B")
              + " of "
              + b.shape()
              + " does not give C of "
              + c.shape());
    }
    if (dc == da || dc == db) {
      throw new IllegalArgumentException("gemm: C must not alias A or B");
    }
    gemm.multiply(transposeA, transposeB, m, n, k, alpha, da, db, beta, dc);
  }

  // ---------------------------------------------------------------- element-wise

  @Override
  public void fill(Tensor t, float value) {
    float[] d = data(t, "fill");
    parallel.forRange(d.length, 1, (from, to) -> Arrays.fill(d, from, to, value));
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    sameSize("copy", src, dst);
    float[] s = data(src, "copy");
    float[] d = data(dst, "copy");
    parallel.forRange(s.length, 1, (from, to) -> System.arraycopy(s, from, d, from, to - from));
  }

  @Override
  public void scale(Tensor t, float alpha) {
    float[] d = data(t, "scale");
    parallel.forRange(
        d.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            d[i] *= alpha;
          }
        });
  }

  @Override
  public void axpy(float alpha, Tensor x, Tensor y) {
    sameSize("axpy", x, y);
    float[] dx = data(x, "axpy");
    float[] dy = data(y, "axpy");
    parallel.forRange(
        dx.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            dy[i] += alpha * dx[i];
          }
        });
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    sameSize("add", a, b, out);
    float[] da = data(a, "add");
    float[] db = data(b, "add");
    float[] dout = data(out, "add");
    parallel.forRange(
        da.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            dout[i] = da[i] + db[i];
          }
        });
  }

  @Override
  public void multiply(Tensor a, Tensor b, Tensor out) {
    sameSize("multiply", a, b, out);
    float[] da = data(a, "multiply");
    float[] db = data(b, "multiply");
    float[] dout = data(out, "multiply");
    parallel.forRange(
        da.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            dout[i] = da[i] * db[i];
          }
        });
  }

  @Override
  public void columnSums(Tensor x, float beta, Tensor out) {
    float[] dx = data(x, "columnSums");
    float[] dout = data(out, "columnSums");
    int rows = x.shape().rows();
    int cols = x.shape().cols();
    if (out.size() != cols) {
      throw new IllegalArgumentException(
          "columnSums: out " + out.shape() + " must have " + cols + " elements for x " + x.shape());
    }
    // Each share owns a range of columns and walks all rows, so no partial sums need merging.
    parallel.forRange(
        cols,
        rows,
        (from, to) -> {
          int width = to - from;
          double[] acc = new double[width];
          for (int i = 0; i < rows; i++) {
            int base = i * cols + from;
            for (int j = 0; j < width; j++) {
              acc[j] += dx[base + j];
            }
          }
          for (int j = 0; j < width; j++) {
            double previous = beta == 0f ? 0.0 : beta * (double) dout[from + j];
            dout[from + j] = (float) (acc[j] + previous);
          }
        });
  }

  @Override
  public void fillUniform(Tensor t, float low, float high, long seed, long stream) {
    float[] d = data(t, "fillUniform");
    float range = high - low;
    parallel.forRange(
        d.length,
        16,
        (from, to) -> {
          Philox.fillUniform(seed, stream, from, d, from, to - from);
          for (int i = from; i < to; i++) {
            d[i] = low + range * d[i];
          }
        });
  }

  // ---------------------------------------------------------------- activations

  @Override
  public void biasActivationForward(
      ActivationKind kind, float alpha, Tensor slopes, Tensor z, Tensor bias, Tensor out) {
    String op = "biasActivationForward(" + kind + ")";
    sameSize(op, z, out);
    float[] dz = data(z, op);
    float[] dout = data(out, op);
    int cols = z.shape().cols();
    if (dz == dout && kind != ActivationKind.LINEAR) {
      throw new IllegalArgumentException(
          op + ": out may alias z only for LINEAR, since z keeps the pre-activation");
    }
    float[] dbias = null;
    if (bias != null) {
      dbias = data(bias, op);
      if (bias.size() != cols) {
        throw new IllegalArgumentException(
            op + ": bias " + bias.shape() + " must have " + cols + " elements for z " + z.shape());
      }
    }
    float[] dslopes = slopes(kind, slopes, z, op);
    float[] b = dbias;
    int rows = z.shape().rows();
    parallel.forRange(
        rows,
        (long) cols * (1 + Activations.cost(kind)),
        (from, to) -> {
          if (b != null) {
            for (int i = from; i < to; i++) {
              int base = i * cols;
              for (int j = 0; j < cols; j++) {
                dz[base + j] += b[j];
              }
            }
          }
          Activations.forward(kind, alpha, dslopes, dz, dout, cols, from * cols, to * cols);
        });
  }

  @Override
  public void activationBackward(
      ActivationKind kind,
      float alpha,
      Tensor slopes,
      Tensor z,
      Tensor out,
      Tensor gradOut,
      Tensor gradIn) {
    String op = "activationBackward(" + kind + ")";
    sameSize(op, z, out, gradOut, gradIn);
    float[] dz = data(z, op);
    float[] dout = data(out, op);
    float[] dgo = data(gradOut, op);
    float[] dgi = data(gradIn, op);
    float[] dslopes = slopes(kind, slopes, z, op);
    int cols = z.shape().cols();
    parallel.forRange(
        dz.length,
        Activations.cost(kind),
        (from, to) ->
            Activations.backward(kind, alpha, dslopes, dz, dout, dgo, dgi, cols, from, to));
  }

  private float[] slopes(ActivationKind kind, Tensor slopes, Tensor z, String op) {
    if (!kind.usesSlopes()) {
      return null;
    }
    if (slopes == null) {
      throw new IllegalArgumentException(op + ": needs a slopes tensor");
    }
    int expected = kind == ActivationKind.PRELU ? z.shape().cols() : z.size();
    if (slopes.size() != expected) {
      throw new IllegalArgumentException(
          op
              + ": slopes "
              + slopes.shape()
              + " must have "
              + expected
              + " elements for z "
              + z.shape());
    }
    return data(slopes, op);
  }

  @Override
  public void preluSlopeGradient(Tensor z, Tensor gradOut, float beta, Tensor gradSlopes) {
    String op = "preluSlopeGradient";
    sameSize(op, z, gradOut);
    float[] dz = data(z, op);
    float[] dg = data(gradOut, op);
    float[] ds = data(gradSlopes, op);
    int rows = z.shape().rows();
    int cols = z.shape().cols();
    if (gradSlopes.size() != cols) {
      throw new IllegalArgumentException(
          op + ": gradSlopes " + gradSlopes.shape() + " must have " + cols + " for z " + z.shape());
    }
    parallel.forRange(
        cols,
        rows,
        (from, to) -> {
          int width = to - from;
          double[] acc = new double[width];
          for (int i = 0; i < rows; i++) {
            int base = i * cols + from;
            for (int j = 0; j < width; j++) {
              float zv = dz[base + j];
              acc[j] += zv < 0f ? (double) dg[base + j] * zv : 0.0;
            }
          }
          for (int j = 0; j < width; j++) {
            double previous = beta == 0f ? 0.0 : beta * (double) ds[from + j];
            ds[from + j] = (float) (acc[j] + previous);
          }
        });
  }

  @Override
  public void maxoutForward(Tensor z, int pieces, Tensor out, Tensor argmax) {
    String op = "maxoutForward";
    sameSize(op, out, argmax);
    int rows = z.shape().rows();
    int cols = out.shape().cols();
    if (pieces < 1 || z.shape().cols() != cols * pieces || out.shape().rows() != rows) {
      throw new IllegalArgumentException(
          op + ": z " + z.shape() + " with " + pieces + " pieces does not give out " + out.shape());
    }
    float[] dz = data(z, op);
    float[] dout = data(out, op);
    float[] darg = data(argmax, op);
    parallel.forRange(
        rows,
        (long) cols * pieces,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            for (int j = 0; j < cols; j++) {
              int base = i * cols * pieces + j * pieces;
              float best = dz[base];
              int winner = 0;
              for (int p = 1; p < pieces; p++) {
                if (dz[base + p] > best) {
                  best = dz[base + p];
                  winner = p;
                }
              }
              dout[i * cols + j] = best;
              darg[i * cols + j] = winner;
            }
          }
        });
  }

  @Override
  public void maxoutBackward(Tensor gradOut, Tensor argmax, int pieces, Tensor gradIn) {
    String op = "maxoutBackward";
    sameSize(op, gradOut, argmax);
    int rows = gradOut.shape().rows();
    int cols = gradOut.shape().cols();
    if (pieces < 1 || gradIn.shape().cols() != cols * pieces || gradIn.shape().rows() != rows) {
      throw new IllegalArgumentException(
          op
              + ": gradOut "
              + gradOut.shape()
              + " with "
              + pieces
              + " pieces does not give gradIn "
              + gradIn.shape());
    }
    float[] dgo = data(gradOut, op);
    float[] darg = data(argmax, op);
    float[] dgi = data(gradIn, op);
    parallel.forRange(
        rows,
        (long) cols * pieces,
        (from, to) -> {
          Arrays.fill(dgi, from * cols * pieces, to * cols * pieces, 0f);
          for (int i = from; i < to; i++) {
            for (int j = 0; j < cols; j++) {
              int winner = (int) darg[i * cols + j];
              dgi[i * cols * pieces + j * pieces + winner] = dgo[i * cols + j];
            }
          }
        });
  }

  // ---------------------------------------------------------------- dropout

  @Override
  public void dropoutForward(
      Tensor x, float keepProbability, long seed, long stream, Tensor mask, Tensor out) {
    String op = "dropoutForward";
    sameSize(op, x, mask, out);
    if (!(keepProbability > 0f && keepProbability <= 1f)) {
      throw new IllegalArgumentException(
          op + ": keep probability must be in (0, 1], got " + keepProbability);
    }
    float[] dx = data(x, op);
    float[] dm = data(mask, op);
    float[] dout = data(out, op);
    float kept = 1f / keepProbability;
    parallel.forRange(
        dx.length,
        16,
        (from, to) -> {
          Philox.fillUniform(seed, stream, from, dm, from, to - from);
          for (int i = from; i < to; i++) {
            // kept where u < p, else 0, without a branch: a random keep/drop branch mispredicts
            // often and cost ten times this loop. p - u is exactly 0 or has the sign of p - u (no
            // two floats differ by 0), and two scalings by 2^126 push any positive difference,
            // even the smallest subnormal, past 1.
            float step =
                Math.min(1f, Math.max(0f, (keepProbability - dm[i]) * 0x1p126f * 0x1p126f));
            float scale = kept * step;
            dm[i] = scale;
            dout[i] = dx[i] * scale;
          }
        });
  }

  @Override
  public void dropoutBackward(Tensor gradOut, Tensor mask, Tensor gradIn) {
    String op = "dropoutBackward";
    sameSize(op, gradOut, mask, gradIn);
    float[] dg = data(gradOut, op);
    float[] dm = data(mask, op);
    float[] di = data(gradIn, op);
    parallel.forRange(
        dg.length,
        1,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            di[i] = dg[i] * dm[i];
          }
        });
  }

  // ---------------------------------------------------------------- losses

  @Override
  public void softmax(Tensor logits, Tensor out) {
    sameSize("softmax", logits, out);
    float[] dl = data(logits, "softmax");
    float[] dout = data(out, "softmax");
    int cols = logits.shape().cols();
    parallel.forRange(
        logits.shape().rows(),
        cols * 20L,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            int base = i * cols;
            float max = rowMax(dl, base, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
              double e = Math.exp(dl[base + j] - max);
              dout[base + j] = (float) e;
              sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
              dout[base + j] *= inv;
            }
          }
        });
  }

  @Override
  public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor gradLogits, Tensor lossSum) {
    String op = "softmaxCrossEntropy";
    sameSize(op, logits, gradLogits);
    int rows = logits.shape().rows();
    int cols = logits.shape().cols();
    if (labels.size() != rows) {
      throw new IllegalArgumentException(
          op + ": labels " + labels.shape() + " must hold one class per row of " + logits.shape());
    }
    float[] dl = data(logits, op);
    float[] dy = data(labels, op);
    float[] dg = data(gradLogits, op);
    float[] dloss = lossCell(lossSum, op);
    float invRows = 1f / rows;
    double loss =
        parallel.sum(
            rows,
            Math.max(1, SUM_CHUNK / Math.max(1, cols)),
            (from, to) -> {
              double partial = 0;
              for (int i = from; i < to; i++) {
                int label = classIndex(dy[i], cols, op, i);
                int base = i * cols;
                float max = rowMax(dl, base, cols);
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                  sum += Math.exp(dl[base + j] - max);
                }
                double logSum = Math.log(sum);
                // Read before the gradient is written, in case gradLogits aliases logits.
                partial += max + logSum - dl[base + label];
                for (int j = 0; j < cols; j++) {
                  double p = Math.exp(dl[base + j] - max - logSum);
                  dg[base + j] = (float) ((j == label ? p - 1.0 : p) * invRows);
                }
              }
              return partial;
            });
    dloss[0] += (float) loss;
  }

  @Override
  public void sigmoidBinaryCrossEntropy(
      Tensor logits, Tensor targets, Tensor gradLogits, Tensor lossSum) {
    String op = "sigmoidBinaryCrossEntropy";
    sameSize(op, logits, targets, gradLogits);
    float[] dz = data(logits, op);
    float[] dt = data(targets, op);
    float[] dg = data(gradLogits, op);
    float[] dloss = lossCell(lossSum, op);
    double inv = 1.0 / dz.length;
    double loss =
        parallel.sum(
            dz.length,
            SUM_CHUNK,
            (from, to) -> {
              double partial = 0;
              for (int i = from; i < to; i++) {
                double z = dz[i];
                double t = dt[i];
                // max(z, 0) - z t + ln(1 + e^-|z|): no overflow for any z.
                partial += Math.max(z, 0.0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
                dg[i] = (float) ((Activations.sigmoid(z) - t) * inv);
              }
              return partial;
            });
    dloss[0] += (float) loss;
  }

  @Override
  public void meanSquaredError(Tensor predictions, Tensor targets, Tensor grad, Tensor lossSum) {
    String op = "meanSquaredError";
    sameSize(op, predictions, targets, grad);
    float[] dp = data(predictions, op);
    float[] dt = data(targets, op);
    float[] dg = data(grad, op);
    float[] dloss = lossCell(lossSum, op);
    float scale = 2f / dp.length;
    double loss =
        parallel.sum(
            dp.length,
            SUM_CHUNK,
            (from, to) -> {
              double partial = 0;
              for (int i = from; i < to; i++) {
                float diff = dp[i] - dt[i];
                partial += (double) diff * diff;
                dg[i] = scale * diff;
              }
              return partial;
            });
    dloss[0] += (float) loss;
  }

  private float[] lossCell(Tensor lossSum, String op) {
    if (lossSum.size() < 1) {
      throw new IllegalArgumentException(op + ": lossSum " + lossSum.shape() + " is empty");
    }
    return data(lossSum, op);
  }

  private static int classIndex(float label, int classes, String op, int row) {
    int index = (int) label;
    if (index != label || index < 0 || index >= classes) {
      throw new IllegalArgumentException(
          op + ": label " + label + " of row " + row + " is not a class in [0, " + classes + ")");
    }
    return index;
  }

  private static float rowMax(float[] x, int base, int cols) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < cols; j++) {
      max = Math.max(max, x[base + j]);
    }
    return max;
  }

  // ---------------------------------------------------------------- reductions

  @Override
  public float sum(Tensor t) {
    float[] d = data(t, "sum");
    return (float)
        parallel.sum(
            d.length,
            SUM_CHUNK,
            (from, to) -> {
              double s = 0;
              for (int i = from; i < to; i++) {
                s += d[i];
              }
              return s;
            });
  }

  @Override
  public float squaredNorm(Tensor t) {
    float[] d = data(t, "squaredNorm");
    return (float)
        parallel.sum(
            d.length,
            SUM_CHUNK,
            (from, to) -> {
              double s = 0;
              for (int i = from; i < to; i++) {
                s += (double) d[i] * d[i];
              }
              return s;
            });
  }

  @Override
  public void argmaxRows(Tensor x, Tensor out) {
    int rows = x.shape().rows();
    int cols = x.shape().cols();
    if (out.size() != rows) {
      throw new IllegalArgumentException(
          "argmaxRows: out " + out.shape() + " must have one element per row of " + x.shape());
    }
    float[] dx = data(x, "argmaxRows");
    float[] dout = data(out, "argmaxRows");
    parallel.forRange(
        rows,
        cols,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            dout[i] = argmax(dx, i * cols, cols);
          }
        });
  }

  @Override
  public void countCorrect(Tensor scores, Tensor labels, Tensor count) {
    String op = "countCorrect";
    int rows = scores.shape().rows();
    int cols = scores.shape().cols();
    if (labels.size() != rows || count.size() < 1) {
      throw new IllegalArgumentException(
          op
              + ": labels "
              + labels.shape()
              + " must have one element per row of "
              + scores.shape()
              + " and count "
              + count.shape()
              + " at least one");
    }
    float[] ds = data(scores, op);
    float[] dl = data(labels, op);
    float[] dc = data(count, op);
    double correct =
        parallel.sum(
            rows,
            Math.max(1, SUM_CHUNK / Math.max(1, cols)),
            (from, to) -> {
              int n = 0;
              for (int i = from; i < to; i++) {
                if (argmax(ds, i * cols, cols) == dl[i]) {
                  n++;
                }
              }
              return n;
            });
    dc[0] += (float) correct;
  }

  private static int argmax(float[] x, int base, int cols) {
    int best = 0;
    for (int j = 1; j < cols; j++) {
      if (x[base + j] > x[base + best]) {
        best = j;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- batch normalization

  @Override
  public void batchNormForward(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float epsilon,
      boolean training,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor out) {
    String op = "batchNormForward";
    sameSize(op, x, out);
    int rows = x.shape().rows();
    int cols = x.shape().cols();
    perColumn(op, x, gamma, beta, runningMean, runningVar, savedMean, savedInvStd);
    if (training && rows < 2) {
      throw new IllegalArgumentException(
          op + ": training needs more than one row per feature to estimate a variance, got " + x);
    }
    BatchNormKernels.forward(
        parallel,
        data(x, op),
        data(gamma, op),
        data(beta, op),
        data(runningMean, op),
        data(runningVar, op),
        momentum,
        epsilon,
        training,
        data(savedMean, op),
        data(savedInvStd, op),
        data(out, op),
        rows,
        cols);
  }

  @Override
  public void batchNormBackward(
      Tensor x,
      Tensor gradOut,
      Tensor gamma,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor gradIn,
      Tensor gradGamma,
      Tensor gradBeta) {
    String op = "batchNormBackward";
    sameSize(op, x, gradOut, gradIn);
    perColumn(op, x, gamma, savedMean, savedInvStd, gradGamma, gradBeta);
    BatchNormKernels.backward(
        parallel,
        data(x, op),
        data(gradOut, op),
        data(gamma, op),
        data(savedMean, op),
        data(savedInvStd, op),
        data(gradIn, op),
        data(gradGamma, op),
        data(gradBeta, op),
        x.shape().rows(),
        x.shape().cols());
  }

  private static void perColumn(String op, Tensor x, Tensor... vectors) {
    int cols = x.shape().cols();
    for (Tensor v : vectors) {
      if (v.size() != cols) {
        throw new IllegalArgumentException(
            op
                + ": per-feature tensor "
                + v.shape()
                + " must have "
                + cols
                + " for x "
                + x.shape());
      }
    }
  }

  // ---------------------------------------------------------------- optimizer updates

  @Override
  public void sgdUpdate(
      Tensor param, Tensor grad, float learningRate, float l2, float weightDecay) {
    String op = "sgdUpdate";
    sameSize(op, param, grad);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    parallel.forRange(
        p.length,
        4,
        (from, to) -> OptimizerKernels.sgd(p, g, learningRate, l2, weightDecay, from, to));
  }

  @Override
  public void momentumUpdate(
      Tensor param,
      Tensor grad,
      Tensor velocity,
      float learningRate,
      float momentum,
      boolean nesterov,
      float l2,
      float weightDecay) {
    String op = "momentumUpdate";
    sameSize(op, param, grad, velocity);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] v = data(velocity, op);
    parallel.forRange(
        p.length,
        6,
        (from, to) ->
            OptimizerKernels.momentum(
                p, g, v, learningRate, momentum, nesterov, l2, weightDecay, from, to));
  }

  @Override
  public void adaGradUpdate(
      Tensor param,
      Tensor grad,
      Tensor sumSquares,
      float learningRate,
      float epsilon,
      float l2,
      float weightDecay) {
    String op = "adaGradUpdate";
    sameSize(op, param, grad, sumSquares);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] s = data(sumSquares, op);
    parallel.forRange(
        p.length,
        10,
        (from, to) ->
            OptimizerKernels.adaGrad(p, g, s, learningRate, epsilon, l2, weightDecay, from, to));
  }

  @Override
  public void rmsPropUpdate(
      Tensor param,
      Tensor grad,
      Tensor meanSquares,
      float learningRate,
      float rho,
      float epsilon,
      float l2,
      float weightDecay) {
    String op = "rmsPropUpdate";
    sameSize(op, param, grad, meanSquares);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] s = data(meanSquares, op);
    parallel.forRange(
        p.length,
        10,
        (from, to) ->
            OptimizerKernels.rmsProp(
                p, g, s, learningRate, rho, epsilon, l2, weightDecay, from, to));
  }

  @Override
  public void adamUpdate(
      Tensor param,
      Tensor grad,
      Tensor m,
      Tensor v,
      float learningRate,
      float beta1,
      float beta2,
      float epsilon,
      int step,
      float l2,
      float weightDecay) {
    String op = "adamUpdate";
    sameSize(op, param, grad, m, v);
    if (step < 1) {
      throw new IllegalArgumentException(op + ": step must be at least 1, got " + step);
    }
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] dm = data(m, op);
    float[] dv = data(v, op);
    parallel.forRange(
        p.length,
        12,
        (from, to) ->
            OptimizerKernels.adam(
                p,
                g,
                dm,
                dv,
                learningRate,
                beta1,
                beta2,
                epsilon,
                step,
                l2,
                weightDecay,
                from,
                to));
  }

  @Override
  public void nadamUpdate(
      Tensor param,
      Tensor grad,
      Tensor m,
      Tensor v,
      float learningRate,
      float beta1,
      float beta2,
      float epsilon,
      float gradStep,
      float momentumStep,
      float biasCorrection2,
      float l2,
      float weightDecay) {
    String op = "nadamUpdate";
    sameSize(op, param, grad, m, v);
    float[] p = data(param, op);
    float[] g = data(grad, op);
    float[] dm = data(m, op);
    float[] dv = data(v, op);
    parallel.forRange(
        p.length,
        14,
        (from, to) ->
            OptimizerKernels.nadam(
                p,
                g,
                dm,
                dv,
                learningRate,
                beta1,
                beta2,
                epsilon,
                gradStep,
                momentumStep,
                biasCorrection2,
                l2,
                weightDecay,
                from,
                to));
  }

  // ---------------------------------------------------------------- checks

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("cpu backend used after close");
    }
  }

  /** The array behind {@code t}, after checking it is a live tensor of this open backend. */
  private float[] data(Tensor t, String op) {
    ensureOpen();
    if (t == null) {
      throw new IllegalArgumentException(op + ": tensor argument is null");
    }
    if (!(t instanceof CpuTensor cpu) || cpu.owner() != this) {
      throw new IllegalArgumentException(
          op
              + ": "
              + t
              + " belongs to backend '"
              + t.backend()
              + "', not to this cpu backend; copy it through the host first");
    }
    if (cpu.isClosed()) {
      throw new IllegalStateException(op + ": " + t + " was used after close");
    }
    return cpu.data();
  }

  private static void sameSize(String op, Tensor... tensors) {
    for (Tensor t : tensors) {
      if (t == null) {
        throw new IllegalArgumentException(op + ": tensor argument is null");
      }
    }
    int size = tensors[0].size();
    for (Tensor t : tensors) {
      if (t.size() != size) {
        StringBuilder shapes = new StringBuilder();
        for (Tensor u : tensors) {
          shapes.append(shapes.length() == 0 ? "" : ", ").append(u.shape());
        }
        throw new IllegalArgumentException(
            op + ": tensors must have the same number of elements, got " + shapes);
      }
    }
  }
}
