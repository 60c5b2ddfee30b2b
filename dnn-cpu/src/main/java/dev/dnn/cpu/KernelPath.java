package dev.dnn.cpu;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which form of the CPU kernels runs, found once per JVM and never assumed (the pattern of Lucene's
 * {@code VectorizationProvider}): the Vector API forms when {@code jdk.incubator.vector} is
 * readable, C2 compiles (without it the Vector API is interpreted and far slower than plain loops)
 * and the vector classes load; otherwise the plain-Java forms, with one log line that says how to
 * get the fast path. {@value #PROPERTY}{@code =false} forces the plain-Java forms.
 *
 * <p>Before Java {@value #DEFAULT_FROM} the plain forms run unless {@value #PROPERTY}{@code =true}
 * asks for the vector ones: on JDK 17 the vector path was slower than the plain one in most 2-epoch
 * runs of the Tuned network (5 to 37 s against 4.1 to 4.4 s), with C2 failing to intrinsify Vector
 * API calls ({@code -XX:+PrintIntrinsics}); no run on JDK 25 showed it (BENCHMARKS.md, "Warm-up").
 */
final class KernelPath {
  /** System property: {@code false} forces the plain-Java kernels. */
  static final String PROPERTY = "dnn.cpu.vector";

  static final String MODULE = "jdk.incubator.vector";

  /**
   * The JVM options that have C2 compile the vector kernels after a twentieth of its thresholds.
   */
  static final String EARLY_COMPILE =
      "-XX:CompileCommand=quiet"
          + " -XX:CompileCommand=CompileThresholdScaling,dev.dnn.cpu.Vector*::*,0.05";

  /** The first Java release whose Vector API the CPU backend uses without being asked. */
  static final int DEFAULT_FROM = 25;

  private static final Logger LOG = LoggerFactory.getLogger(KernelPath.class);
  private static final String VECTOR_CLASS = "dev.dnn.cpu.VectorKernels";
  private static volatile KernelPath found;

  private final VectorForms vector;
  private final String description;

  private KernelPath(VectorForms vector, String description) {
    this.vector = vector;
    this.description = description;
  }

  /** The path of this JVM, found on first use. */
  static KernelPath found() {
    KernelPath path = found;
    if (path == null) {
      synchronized (KernelPath.class) {
        path = found;
        if (path == null) {
          path = find();
          found = path;
        }
      }
    }
    return path;
  }

  /** The plain-Java path, whatever the JVM offers. */
  static KernelPath scalar(String why) {
    return new KernelPath(null, "scalar kernels (" + why + ")");
  }

  /** The Vector API forms, or null on the plain-Java path. */
  VectorForms vector() {
    return vector;
  }

  /** For {@code Backend.description()}: which kernels run and why. */
  String description() {
    return description;
  }

  private static KernelPath find() {
    String forced = System.getProperty(PROPERTY);
    if (forced != null && forced.trim().equalsIgnoreCase("false")) {
      LOG.info("cpu backend: plain-Java kernels, forced by -D{}=false", PROPERTY);
      return scalar("forced by -D" + PROPERTY + "=false");
    }
    Optional<Module> module = ModuleLayer.boot().findModule(MODULE);
    if (module.isEmpty() || !KernelPath.class.getModule().canRead(module.get())) {
      LOG.warn(
          "cpu backend: {} is not readable, so the plain-Java kernels run; pass"
              + " '--add-modules {}' to the java command for the Vector API kernels",
          MODULE,
          MODULE);
      return scalar(MODULE + " not readable; run java with --add-modules " + MODULE);
    }
    boolean asked = forced != null && forced.trim().equalsIgnoreCase("true");
    int feature = Runtime.version().feature();
    if (!asked && feature < DEFAULT_FROM) {
      LOG.info(
          "cpu backend: plain-Java kernels on Java {}, whose C2 compiles the Vector API kernels"
              + " unreliably; -D{}=true asks for them, Java {} or later uses them",
          feature,
          PROPERTY,
          DEFAULT_FROM);
      return scalar("Java " + feature + "; -D" + PROPERTY + "=true for the Vector API ones");
    }
    String compiler = compilerProblem();
    if (compiler != null) {
      LOG.warn("cpu backend: plain-Java kernels, since {} (the Vector API needs C2)", compiler);
      return scalar(compiler);
    }
    try {
      VectorForms forms =
          (VectorForms) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
      LOG.info("cpu backend: Vector API kernels, {}", forms.shape());
      if (!compilesEarly()) {
        LOG.info(
            "cpu backend: for a shorter warm-up of the Vector API kernels add {} to the java"
                + " command (./dnn does)",
            EARLY_COMPILE);
      }
      return new KernelPath(forms, "Vector API kernels, " + forms.shape());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      LOG.warn("cpu backend: plain-Java kernels, the Vector API ones failed to load: {}", cause);
      return scalar("Vector API kernels failed to load: " + cause);
    }
  }

  /**
   * Whether the JVM was told to compile the vector kernels early ({@link #EARLY_COMPILE}): the CPU
   * backend hands their work to the plain kernels until C2 has them, so a short run otherwise ends
   * before they pay.
   */
  static boolean compilesEarly() {
    try {
      return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .anyMatch(argument -> argument.contains("CompileThresholdScaling,dev.dnn.cpu"));
    } catch (RuntimeException | LinkageError e) {
      return true; // Unknown: no advice rather than wrong advice.
    }
  }

  /** Why C2 does not compile here, or null when it does. */
  static String compilerProblem() {
    if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
      return "the JVM runs interpreted (-Xint)";
    }
    try {
      HotSpotDiagnosticMXBean hotspot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (hotspot == null) {
        return "this is not a HotSpot JVM";
      }
      boolean tiered = Boolean.parseBoolean(hotspot.getVMOption("TieredCompilation").getValue());
      int level = Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue());
      if (tiered && level < 4) {
        return "C2 is off (-XX:TieredStopAtLevel=" + level + ")";
      }
      if (!Boolean.parseBoolean(hotspot.getVMOption("UseCompiler").getValue())) {
        return "the JIT is off (-XX:-UseCompiler)";
      }
      return null;
    } catch (RuntimeException | LinkageError e) {
      return "the JIT's settings cannot be read (" + e + ")";
    }
  }
}
