package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * Every vector kernel keeps to one float species ({@link VectorKernels#FLOATS}): a second one makes
 * the JDK's shared vector methods see two vector classes, and C2 may then compile the GEMM's tiles
 * boxed, many times slower for the rest of the JVM. Checked on the species constants of every class
 * of this package, read from its compiled classes.
 */
class OneFloatSpeciesTest {
  @Test
  void everyFloatSpeciesConstantIsTheGemmsSpecies() throws Exception {
    assumeTrue(
        ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "the Vector API is not readable in this JVM");
    VectorSpecies<?> gemmSpecies = speciesOf(VectorKernels.class.getDeclaredField("FLOATS"));
    List<String> checked = new ArrayList<>();
    for (Class<?> type : packageClasses()) {
      for (Field field : type.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers()) || field.getType() != VectorSpecies.class) {
          continue;
        }
        VectorSpecies<?> species = speciesOf(field);
        if (species.elementType() == float.class) {
          assertEquals(gemmSpecies, species, type.getSimpleName() + "." + field.getName());
          checked.add(type.getSimpleName() + "." + field.getName());
        }
      }
    }
    // The scan must have found the kernels' constants, or it proves nothing.
    assertTrue(
        checked.containsAll(List.of("VectorTiles.SPECIES", "VectorReductionKernels.FLOATS")),
        "constants found: " + checked);
  }

  private static VectorSpecies<?> speciesOf(Field field) throws IllegalAccessException {
    field.setAccessible(true);
    return (VectorSpecies<?>) field.get(null);
  }

  /** The classes of this package in the compiled main classes, nested ones included. */
  private static List<Class<?>> packageClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path dir =
        Path.of(VectorKernels.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("dev/dnn/cpu");
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".class") && !name.contains("$$")) {
          String binary = "dev.dnn.cpu." + name.substring(0, name.length() - ".class".length());
          classes.add(Class.forName(binary, true, VectorKernels.class.getClassLoader()));
        }
      }
    }
    return classes;
  }
}
