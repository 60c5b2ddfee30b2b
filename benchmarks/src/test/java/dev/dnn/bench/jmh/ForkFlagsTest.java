package dev.dnn.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;

/**
 * Every benchmark's forked JVM can read {@code jdk.incubator.vector}: without it the CPU backend
 * runs its plain-Java kernels, and a benchmark compared against another one would time another path
 * (the GEMMs of the training step once did, and measured slower than the whole step).
 */
class ForkFlagsTest {
  private static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

  @Test
  void everyBenchmarkForksWithTheVectorModule() throws IOException, ClassNotFoundException {
    Set<String> classes = benchmarkClasses();
    assertFalse(classes.isEmpty(), "no benchmark found in META-INF/BenchmarkList");
    for (String name : classes) {
      Fork fork = Class.forName(name).getAnnotation(Fork.class);
      assertNotNull(fork, name + " has no @Fork with " + VECTOR_MODULE);
      assertTrue(
          Arrays.asList(fork.jvmArgsAppend()).contains(VECTOR_MODULE),
          name + " forks without " + VECTOR_MODULE + ": " + Arrays.toString(fork.jvmArgsAppend()));
    }
  }

  /** The benchmark classes JMH's annotation processor listed, one per benchmark method. */
  private static Set<String> benchmarkClasses() throws IOException {
    try (InputStream in = ForkFlagsTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
      assertNotNull(in, "META-INF/BenchmarkList is not on the class path");
      String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("^JMH S \\d+ (\\S+) ", Pattern.MULTILINE).matcher(list);
      Set<String> classes = new TreeSet<>();
      while (m.find()) {
        classes.add(m.group(1));
      }
      return classes;
    }
  }
}
