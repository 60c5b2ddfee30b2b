package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.FeatureScaler;
import dev.dnn.data.Standardizer;
import dev.dnn.io.CheckpointListener;
import dev.dnn.io.HostArray;
import dev.dnn.io.MalformedFileException;
import dev.dnn.io.ModelFile;
import dev.dnn.io.SafeTensors;
import dev.dnn.io.SafeTensorsFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Adam;
import dev.dnn.random.Philox;
import dev.dnn.tensor.Tensor;
import dev.dnn.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Model files and checkpoints written on a backend read back to the same model. */
class ModelFileTest {
  @TempDir Path dir;

  private static final ModelSpec SPEC =
      Model.sequential(6, Dense.of(6, 8), Activation.RELU, BatchNorm.of(), Dense.of(8, 3));

  /** 64 examples, 6 features offset from zero (so standardizing changes them), 3 classes. */
  private static DataSet data() {
    float[] x = new float[64 * 6];
    int[] y = new int[64];
    for (int i = 0; i < x.length; i++) {
      x[i] = 5 + 2 * Philox.uniform(17, 0, i);
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = x[6 * i] > 6 ? (x[6 * i + 1] > 6 ? 2 : 1) : 0;
    }
    return DataSet.classification(x, 6, y, 3);
  }

  private static Trainer trainer(long seed) {
    return Trainer.builder()
        .loss(Loss.SOFTMAX_CROSS_ENTROPY)
        .optimizer(Adam.learningRate(1e-2))
        .batchSize(16)
        .epochs(2)
        .seed(seed)
        .build();
  }

  private static Map<String, float[]> host(Map<String, Tensor> tensors) {
    Map<String, float[]> host = new LinkedHashMap<>();
    tensors.forEach((k, t) -> host.put(k, t.toArray()));
    return host;
  }

  private static void assertSameTensors(Map<String, Tensor> a, Map<String, Tensor> b) {
    assertEquals(a.keySet(), b.keySet());
    a.forEach((k, t) -> assertArrayEquals(t.toArray(), b.get(k).toArray(), 0f, k));
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void modelFileRoundTrip(Backend backend) throws IOException {
    DataSet raw = data();
    FeatureScaler scaler = Standardizer.fit(raw);
    DataSet train = scaler.apply(raw);
    Path path = dir.resolve("model.safetensors");
    try (Model model = Model.fromSpec(SPEC, backend, 3)) {
      trainer(5).fit(model, train);
      ModelFile.save(model, scaler.params(), path);
      try (ModelFile.Loaded loaded = ModelFile.load(path, backend)) {
        assertEquals(SPEC, loaded.model().spec());
        assertEquals(scaler.params(), loaded.preprocessing().orElseThrow());
        assertSameTensors(model.namedTensors(), loaded.model().namedTensors());
        // Same weights, same backend: the loaded model takes the raw rows and gives the same bits.
        assertArrayEquals(
            model.predictProbabilities(train), loaded.model().predictProbabilities(raw), 0f);
      }
    }
    // Any safetensors reader sees plain tensors under the model's names.
    SafeTensorsFile file = SafeTensors.read(path);
    assertTrue(file.metadata().get(ModelFile.KEY_SPEC).contains("dense"));
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void checkpointRestoresWeightsOptimizerStateAndPosition(Backend backend) throws IOException {
    DataSet train = Standardizer.fit(data()).apply(data());
    Path path = dir.resolve("checkpoint.safetensors");
    Trainer trainer = trainer(9);
    try (Model model = Model.fromSpec(SPEC, backend, 4)) {
      trainer.fit(model, train);
      assertTrue(trainer.optimizer().stepCount() > 0);
      ModelFile.saveCheckpoint(path, model, trainer.optimizer(), 2, 9L, null);
      Adam fresh = Adam.learningRate(1e-2);
      try (ModelFile.Restored restored = ModelFile.loadCheckpoint(path, backend, fresh)) {
        assertSameTensors(model.namedTensors(), restored.model().namedTensors());
        assertEquals(trainer.optimizer().stepCount(), fresh.stepCount());
        assertEquals(host(trainer.optimizer().state()).keySet(), host(fresh.state()).keySet());
        assertSameTensors(trainer.optimizer().state(), fresh.state());
        assertEquals(2, restored.checkpoint().epoch());
        assertEquals(9L, restored.checkpoint().seed());
        assertTrue(restored.preprocessing().isEmpty());
      } finally {
        fresh.close();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void rejectsFilesThatDoNotMatchTheArchitecture(Backend backend) throws IOException {
    Path path = dir.resolve("model.safetensors");
    try (Model model = Model.fromSpec(SPEC, backend, 1)) {
      ModelFile.save(model, null, path);
    }
    SafeTensorsFile file = SafeTensors.read(path);
    Map<String, HostArray> tensors = new LinkedHashMap<>(file.tensors());
    String first = tensors.keySet().iterator().next();
    tensors.put(first, HostArray.vector(tensors.get(first).data())); // same values, flattened
    Path bad = dir.resolve("bad.safetensors");
    SafeTensors.write(bad, tensors, file.metadata());
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> ModelFile.load(bad, backend));
    assertTrue(
        e.getMessage().contains(first) && e.getMessage().contains(bad.toString()), e.getMessage());

    tensors = new LinkedHashMap<>(file.tensors());
    tensors.put("renamed", tensors.remove(first));
    SafeTensors.write(bad, tensors, file.metadata());
    e = assertThrows(MalformedFileException.class, () -> ModelFile.load(bad, backend));
    assertTrue(e.getMessage().contains("missing tensor '" + first + "'"), e.getMessage());

    Map<String, String> meta = new LinkedHashMap<>(file.metadata());
    meta.put(ModelFile.KEY_SPEC, "{\"inputs\":6,\"layers\":[{\"type\":\"warp\"}]}");
    SafeTensors.write(bad, file.tensors(), meta);
    e = assertThrows(MalformedFileException.class, () -> ModelFile.load(bad, backend));
    assertTrue(e.getMessage().contains("invalid architecture"), e.getMessage());

    SafeTensors.write(bad, file.tensors(), Map.of());
    e = assertThrows(MalformedFileException.class, () -> ModelFile.load(bad, backend));
    assertTrue(e.getMessage().contains("not a dnn model file"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void listenerCheckpointsDuringTraining(Backend backend) throws IOException {
    DataSet train = Standardizer.fit(data()).apply(data());
    Path path = dir.resolve("run.safetensors");
    Adam adam = Adam.learningRate(1e-2);
    Trainer trainer =
        Trainer.builder()
            .loss(Loss.SOFTMAX_CROSS_ENTROPY)
            .optimizer(adam)
            .batchSize(16)
            .epochs(3)
            .seed(21)
            .listener(new CheckpointListener(path, adam, 21, 1, null))
            .build();
    try (Model model = Model.fromSpec(SPEC, backend, 2)) {
      trainer.fit(model, train);
      Adam fresh = Adam.learningRate(1e-2);
      try (ModelFile.Restored restored = ModelFile.loadCheckpoint(path, backend, fresh)) {
        // The last save came after the third epoch: the final weights and 3 x 4 steps.
        assertEquals(3, restored.checkpoint().epoch());
        assertEquals(12, fresh.stepCount());
        assertSameTensors(model.namedTensors(), restored.model().namedTensors());
      } finally {
        fresh.close();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void damagedArchitecturesFailCleanlyWithoutHugeAllocations(Backend backend) throws IOException {
    Path path = dir.resolve("model.safetensors");
    try (Model model = Model.fromSpec(SPEC, backend, 1)) {
      ModelFile.save(model, null, path);
    }
    SafeTensorsFile file = SafeTensors.read(path);
    Path bad = dir.resolve("bad.safetensors");
    // 10^10 weights would need 40 GB: refused from the sizes alone.
    Map<String, String> meta = new LinkedHashMap<>(file.metadata());
    meta.put(ModelFile.KEY_SPEC, Model.sequential(100_000, Dense.of(100_000, 100_000)).toJson());
    SafeTensors.write(bad, file.tensors(), meta);
    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> ModelFile.load(bad, backend));
    assertTrue(e.getMessage().contains("needs at least"), e.getMessage());

    // Random characters of the architecture JSON changed (seeded): load or a clean refusal.
    String spec = file.metadata().get(ModelFile.KEY_SPEC);
    String alphabet = "0123456789-{}[]\":,.e9x ";
    Random random = new Random(12);
    int loaded = 0;
    for (int m = 0; m < 60; m++) {
      char[] chars = spec.toCharArray();
      for (int f = 1 + random.nextInt(3); f > 0; f--) {
        chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      meta.put(ModelFile.KEY_SPEC, new String(chars));
      SafeTensors.write(bad, file.tensors(), meta);
      try (ModelFile.Loaded model = ModelFile.load(bad, backend)) {
        loaded++;
        assertEquals(SPEC.outputs(), model.model().outputCount());
      } catch (MalformedFileException expected) {
        assertTrue(expected.getMessage().contains(bad.toString()), expected.getMessage());
      }
    }
    assertTrue(loaded < 60, "every damaged architecture was accepted");
  }
}
