package dev.dnn.examples;

import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import dev.dnn.data.FashionMnist;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.ScalerParams;
import dev.dnn.io.ModelFile;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Run by {@link ModulePathTest} in a JVM that has the library's modules on the module path and only
 * this class on the class path: prints, one fact a line, what the library does there.
 */
public final class ModuleProbe {
  private ModuleProbe() {}

  /** {@code args[0]}: a directory to write a model file into. */
  public static void main(String[] args) throws Exception {
    System.out.println("probe-module " + ModuleProbe.class.getModule());
    System.out.println("api-module " + Model.class.getModule().getName());
    for (BackendProvider provider : Backends.providers()) {
      System.out.println(
          "provider " + provider.name() + " " + provider.getClass().getModule().getName());
    }
    try (Backend backend = Backends.select("cpu")) {
      System.out.println("backend " + backend.description());
      ModelSpec spec = Model.sequential(Dense.of(3, 4), Activation.LEAKY_RELU, Dense.of(4, 2));
      System.out.println("json-round-trip " + spec.equals(ModelSpec.fromJson(spec.toJson())));
      float[][] rows = {{0.5f, -1, 2}, {1, 0, -0.25f}};
      Path file = Files.createDirectories(Path.of(args[0])).resolve("probe.safetensors");
      try (Model model = spec.on(backend, 7)) {
        ScalerParams scaler = new ScalerParams("standardize", new float[3], new float[] {1, 2, 4});
        // The model owns its scaling and class names; its file carries them to the copy.
        model.setPreprocessing(Preprocessing.scaled(scaler));
        model.setClassNames(List.of("yes", "no"));
        ModelFile.save(model, file);
        ModelFile.Loaded loaded = ModelFile.load(file, backend);
        try (Model copy = loaded.model()) {
          boolean same =
              Arrays.deepEquals(model.predict(rows), copy.predict(rows))
                  && loaded.preprocessing().equals(Optional.of(scaler))
                  && loaded.classes().equals(List.of("yes", "no"));
          System.out.println("model-file-round-trip " + same);
        }
      }
    }
    System.out.println("bundled-examples " + FashionMnist.bundledTestSplit().test().size());
    Class<?> internal = Class.forName("dev.dnn.internal.io.Json");
    Method write = internal.getMethod("write", Object.class);
    try {
      write.invoke(null, "x");
      System.out.println("internal-call allowed");
    } catch (IllegalAccessException e) {
      System.out.println("internal-call refused");
    }
    try {
      write.setAccessible(true);
      System.out.println("internal-open allowed");
    } catch (InaccessibleObjectException e) {
      System.out.println("internal-open refused " + e.getClass().getSimpleName());
    }
  }
}
