package dev.dnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module descriptors of dnn-api and dnn-cpu, used as a module-path user uses them: the built
 * modules (and Jackson's and SLF4J's) go on the module path of a fresh JVM, which must find the CPU
 * backend through {@code provides}, bind the JSON of specs and model files through the {@code
 * opens}, take the Vector API kernels only when {@code jdk.incubator.vector} is added, and refuse
 * access to the internal packages. The other tests run on the class path.
 */
class ModulePathTest {
  private static final Set<String> API_PACKAGES =
      Set.of(
          "dev.dnn.backend",
          "dev.dnn.data",
          "dev.dnn.init",
          "dev.dnn.io",
          "dev.dnn.loss",
          "dev.dnn.metrics",
          "dev.dnn.names",
          "dev.dnn.nn",
          "dev.dnn.optim",
          "dev.dnn.random",
          "dev.dnn.tensor",
          "dev.dnn.train");

  @TempDir Path dir;

  @Test
  void theDescriptorsExportOnlyTheApiAndProvideTheCpuBackend() throws Exception {
    Configuration config =
        Configuration.resolveAndBind(
            ModuleFinder.of(),
            List.of(ModuleLayer.boot().configuration()),
            ModuleFinder.of(modulePath().toArray(Path[]::new)),
            Set.of("dev.dnn.api"));
    Set<String> resolved =
        config.modules().stream().map(ResolvedModule::name).collect(Collectors.toSet());
    assertTrue(resolved.contains("dev.dnn.cpu"), "service binding finds the provider: " + resolved);
    assertFalse(resolved.contains("jdk.incubator.vector"), "resolved without the Vector API");

    ModuleDescriptor api = descriptor(config, "dev.dnn.api");
    Set<String> exported = new TreeSet<>();
    TreeMap<String, Set<String>> qualified = new TreeMap<>();
    for (Exports e : api.exports()) {
      if (e.isQualified()) {
        qualified.put(e.source(), e.targets());
      } else {
        exported.add(e.source());
      }
    }
    assertEquals(new TreeSet<>(API_PACKAGES), exported);
    assertEquals(Set.of("dev.dnn.onnx"), qualified.get("dev.dnn.internal.io"));
    assertEquals(Set.of("dev.dnn.internal.io"), qualified.keySet());
    assertTrue(
        api.packages().containsAll(Set.of("dev.dnn.internal.nn", "dev.dnn.internal.random")));
    for (Requires r : api.requires()) {
      assertFalse(
          r.name().startsWith("com.fasterxml")
              && r.modifiers().contains(Requires.Modifier.TRANSITIVE),
          "Jackson is no part of the API: " + r);
    }

    ModuleDescriptor cpu = descriptor(config, "dev.dnn.cpu");
    assertEquals(Set.of("dev.dnn.cpu"), sources(cpu.exports()));
    Requires vector =
        cpu.requires().stream()
            .filter(r -> r.name().equals("jdk.incubator.vector"))
            .findFirst()
            .orElseThrow();
    assertEquals(Set.of(Requires.Modifier.STATIC), vector.modifiers());
    assertEquals(
        List.of("dev.dnn.cpu.CpuBackendProvider"),
        cpu.provides().stream()
            .filter(p -> p.service().equals("dev.dnn.backend.BackendProvider"))
            .flatMap(p -> p.providers().stream())
            .collect(Collectors.toList()));
  }

  @Test
  void onTheModulePathTheCpuBackendRunsWithTheScalarKernels() throws Exception {
    String out = probe(false);
    assertTrue(out.contains("probe-module unnamed module"), out);
    assertTrue(out.contains("api-module dev.dnn.api\n"), out);
    assertTrue(out.contains("provider cpu dev.dnn.cpu\n"), out);
    assertTrue(out.contains("backend ") && out.contains("scalar kernels"), out);
    assertTrue(out.contains("jdk.incubator.vector not readable"), out);
    assertTrue(out.contains("json-round-trip true\n"), out);
    assertTrue(out.contains("model-file-round-trip true\n"), out);
    assertTrue(out.contains("bundled-examples 10000\n"), out);
    assertTrue(out.contains("internal-call refused\n"), out);
    assertTrue(out.contains("internal-open refused InaccessibleObjectException\n"), out);
  }

  @Test
  void withTheIncubatorModuleAddedTheVectorKernelsRun() throws Exception {
    String out = probe(true);
    assertTrue(out.contains("provider cpu dev.dnn.cpu\n"), out);
    assertTrue(out.contains("Vector API kernels"), out);
    assertTrue(out.contains("model-file-round-trip true\n"), out);
  }

  @Test
  void aModuleThatImportsAnInternalPackageDoesNotCompile() throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path src = Files.createDirectories(dir.resolve("src/user/dev/example"));
    Files.writeString(
        dir.resolve("src/user/module-info.java"), "module user { requires dev.dnn.api; }\n");
    Path use = src.resolve("Use.java");
    Files.writeString(
        use,
        "package dev.example;\n"
            + "public class Use {\n"
            + "  public static String spec() {\n"
            + "    return dev.dnn.nn.Model.sequential(dev.dnn.nn.Dense.of(2, 1)).toJson();\n"
            + "  }\n"
            + "  public static String internal() { return dev.dnn.internal.io.Json.write(1); }\n"
            + "}\n");
    String modulePath =
        modulePath().stream().map(Path::toString).collect(Collectors.joining(pathSeparator()));
    java.io.StringWriter diagnostics = new java.io.StringWriter();
    int status =
        javac.run(
            null,
            null,
            new java.io.PrintStream(
                new java.io.OutputStream() {
                  @Override
                  public void write(int b) {
                    diagnostics.write(b);
                  }
                },
                true,
                StandardCharsets.UTF_8),
            "--release",
            "17",
            "--module-path",
            modulePath,
            "-d",
            dir.resolve("classes").toString(),
            dir.resolve("src/user/module-info.java").toString(),
            use.toString());
    String text = diagnostics.toString();
    assertTrue(status != 0, "compiled although it uses dev.dnn.internal.io:\n" + text);
    assertTrue(text.contains("package dev.dnn.internal.io is not visible"), text);
    assertEquals(1, text.lines().filter(l -> l.contains("error:")).count(), text);
  }

  /** Runs {@link ModuleProbe} in a fresh JVM with the library on the module path. */
  private String probe(boolean vector) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--module-path");
    command.add(
        modulePath().stream().map(Path::toString).collect(Collectors.joining(pathSeparator())));
    command.add("--add-modules");
    command.add(vector ? "dev.dnn.api,jdk.incubator.vector" : "dev.dnn.api");
    command.add("-cp");
    command.add(location(ModuleProbe.class).toString());
    command.add(ModuleProbe.class.getName());
    command.add(dir.resolve("out").toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the probe did not end:\n" + out);
    System.out.print(out);
    assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + out);
    return out;
  }

  /** The jars (or class directories) of the library and its dependencies, from this class path. */
  private static List<Path> modulePath() throws ReflectiveOperationException, URISyntaxException {
    List<Path> path = new ArrayList<>();
    for (String anchor :
        List.of(
            "dev.dnn.nn.Model",
            "dev.dnn.cpu.CpuBackendProvider",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonTypeInfo",
            "org.slf4j.LoggerFactory",
            "org.slf4j.simple.SimpleServiceProvider",
            // Commons CSV reads the CSV records; its module requires Commons IO and Codec.
            "org.apache.commons.csv.CSVFormat",
            "org.apache.commons.io.IOUtils",
            "org.apache.commons.codec.Charsets")) {
      path.add(location(Class.forName(anchor)));
    }
    return path;
  }

  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ModuleDescriptor descriptor(Configuration config, String name) {
    return config.findModule(name).orElseThrow().reference().descriptor();
  }

  private static Set<String> sources(Set<Exports> exports) {
    return exports.stream().map(Exports::source).collect(Collectors.toSet());
  }

  private static String pathSeparator() {
    return System.getProperty("path.separator");
  }
}
