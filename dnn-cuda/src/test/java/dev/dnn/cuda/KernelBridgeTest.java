package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.annotation.Name;
import org.junit.jupiter.api.Test;

/**
 * The Java bridge and the C header agree: every launcher of {@code dnn_kernels.h} has exactly one
 * bridge method, named after it by one rule, every kernel operation of {@link Backend} has a bridge
 * method of its own name, and the activation codes match {@link ActivationKind}. The bridge class
 * is inspected without initializing it, so no native code is loaded.
 */
class KernelBridgeTest {
  private static final Path HEADER = Path.of("../native/include/dnn_kernels.h");

  /**
   * Backend methods that no launcher implements: memory and lifecycle, which the CUDA runtime
   * handles (the checked copy of a prediction's rows checks them on the host first), {@code gemm},
   * which is cuBLAS, and {@code forRowShares}, which the CUDA backend leaves to the SPI's default
   * (one share of every row: its kernels are parallel in themselves).
   */
  private static final Set<String> NOT_KERNELS =
      Set.of(
          "name",
          "description",
          "isThreadSafe",
          "zeros",
          "fromHost",
          "copyFromHost",
          "copyFiniteFromHost",
          "copyToHost",
          "synchronize",
          "memoryStats",
          "close",
          "gemm",
          "forRowShares");

  /**
   * Backend operations whose one {@code boolean} mode argument picks between two launchers, named
   * after the operation with the mode as a suffix.
   */
  private static final Map<String, List<String>> BY_MODE =
      Map.of("batchNormForward", List.of("batchNormForwardTraining", "batchNormForwardInference"));

  /**
   * The launcher of a bridge method: {@code dnn_} and the method's camel-case name in snake case,
   * one underscore before each capital ({@code adaGradUpdate} to {@code dnn_ada_grad_update}).
   */
  static String launcherOf(String method) {
    StringBuilder s = new StringBuilder("dnn_");
    for (char c : method.toCharArray()) {
      if (Character.isUpperCase(c)) {
        s.append('_').append(Character.toLowerCase(c));
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }

  @Test
  void theNamingRuleIsOneToOne() {
    assertEquals("dnn_sigmoid_binary_cross_entropy", launcherOf("sigmoidBinaryCrossEntropy"));
    assertEquals("dnn_mean_squared_error", launcherOf("meanSquaredError"));
    assertEquals("dnn_rms_prop_update", launcherOf("rmsPropUpdate"));
    assertEquals("dnn_sum", launcherOf("sum"));
  }

  @Test
  void everyBridgeMethodIsNamedAfterItsLauncher() throws Exception {
    List<String> misnamed = new ArrayList<>();
    for (Method method : bridgeMethods()) {
      Name name = method.getAnnotation(Name.class);
      String expected = launcherOf(method.getName());
      if (name == null || !name.value()[0].equals(expected)) {
        misnamed.add(
            method.getName()
                + " binds "
                + (name == null ? "nothing" : name.value()[0])
                + ", expected "
                + expected);
      }
    }
    assertEquals(List.of(), misnamed);
  }

  @Test
  void everyKernelOperationOfTheBackendHasABridgeMethodOfItsName() throws Exception {
    Set<String> bridge = bridgeMethods().stream().map(Method::getName).collect(Collectors.toSet());
    Set<String> used = new TreeSet<>();
    List<String> unbound = new ArrayList<>();
    for (Method op : Backend.class.getMethods()) {
      if (Modifier.isStatic(op.getModifiers()) || NOT_KERNELS.contains(op.getName())) {
        continue;
      }
      List<String> expected = BY_MODE.getOrDefault(op.getName(), List.of(op.getName()));
      if (!bridge.containsAll(expected)) {
        unbound.add(op.getName() + " (expected " + expected + ")");
      }
      used.addAll(expected);
    }
    assertEquals(List.of(), unbound, "Backend operations without a bridge method of their name");
    Set<String> extra = new TreeSet<>(bridge);
    extra.removeAll(used);
    assertEquals(Set.of("setDevice"), extra, "bridge methods that implement no Backend operation");
  }

  @Test
  void everyHeaderLauncherHasOneBridgeMethod() throws Exception {
    Set<String> declared = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^int (dnn_\\w+)\\(").matcher(header());
    while (m.find()) {
      declared.add(m.group(1));
    }
    Class<?> bridge = Class.forName("dev.dnn.cuda.DnnKernels", false, getClass().getClassLoader());
    Set<String> bound =
        Arrays.stream(bridge.getDeclaredMethods())
            .map(method -> method.getAnnotation(Name.class))
            .filter(name -> name != null)
            .map(name -> name.value()[0])
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(declared, bound);
    assertEquals(
        declared.size(),
        Arrays.stream(bridge.getDeclaredMethods())
            .filter(method -> method.isAnnotationPresent(Name.class))
            .map(Method::getName)
            .distinct()
            .count());
  }

  @Test
  void activationCodesMatchTheEnum() throws IOException {
    String header = header();
    for (ActivationKind kind : ActivationKind.values()) {
      Matcher m = Pattern.compile("#define DNN_ACT_" + kind.name() + " (\\d+)").matcher(header);
      assertEquals(true, m.find(), "no code for " + kind + " in the header");
      assertEquals(kind.code(), Integer.parseInt(m.group(1)), kind.name());
    }
  }

  @Test
  void reductionScratchSizeMatchesTheHeader() throws IOException {
    String header = header();
    Matcher blocks = Pattern.compile("#define DNN_REDUCTION_MAX_BLOCKS (\\d+)").matcher(header);
    Matcher floats =
        Pattern.compile("#define DNN_REDUCTION_SCRATCH_FLOATS \\(DNN_REDUCTION_MAX_BLOCKS \\+ 1\\)")
            .matcher(header);
    assertEquals(true, blocks.find(), "no DNN_REDUCTION_MAX_BLOCKS in the header");
    assertEquals(true, floats.find(), "DNN_REDUCTION_SCRATCH_FLOATS is no longer blocks + 1");
    // A compile-time constant: reading it does not initialize the bridge class.
    assertEquals(Integer.parseInt(blocks.group(1)) + 1, DnnKernels.REDUCTION_SCRATCH_FLOATS);
  }

  private List<Method> bridgeMethods() throws ClassNotFoundException {
    Class<?> bridge = Class.forName("dev.dnn.cuda.DnnKernels", false, getClass().getClassLoader());
    return Arrays.stream(bridge.getDeclaredMethods())
        .filter(method -> Modifier.isNative(method.getModifiers()))
        .toList();
  }

  private static String header() throws IOException {
    return Files.readString(HEADER);
  }
}
