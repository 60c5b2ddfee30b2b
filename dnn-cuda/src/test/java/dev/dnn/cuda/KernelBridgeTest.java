package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnn.backend.ActivationKind;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.annotation.Name;
import org.junit.jupiter.api.Test;

/**
 * The Java bridge and the C header agree: every launcher of {@code dnn_kernels.h} has exactly one
 * bridge method and the activation codes match {@link ActivationKind}. The bridge class is
 * inspected without initializing it, so no native code is loaded.
 */
class KernelBridgeTest {
  private static final Path HEADER = Path.of("../native/include/dnn_kernels.h");

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

  private static String header() throws IOException {
    return Files.readString(HEADER);
  }
}
