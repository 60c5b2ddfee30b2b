package dev.dnn.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Activations;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Adam;
import dev.dnn.optim.Momentum;
import dev.dnn.optim.Optimizer;
import dev.dnn.optim.Optimizers;
import dev.dnn.optim.RmsProp;
import dev.dnn.optim.Sgd;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The library's names: one per value, every spelling in use still accepted, errors that help. */
class LibraryNamesTest {
  @Test
  void everyActivationIsNamedAfterItsConstantAndReadBackInEverySpelling() {
    for (ActivationKind kind : ActivationKind.values()) {
      String name = kind.registeredName();
      assertEquals(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), name);
      assertEquals(kind, ActivationKind.named(name));
      assertEquals(kind, ActivationKind.named(kind.name()));
      assertEquals(kind, ActivationKind.named(" " + kind.name().toLowerCase() + " "));
      assertEquals(kind, Activations.named(name).kind());
    }
    assertEquals(ActivationKind.values().length, Activations.names().size());
    assertEquals(Activation.LEAKY_RELU, Activations.named("leaky_relu"));
    assertEquals(Activation.ELU, Activations.named("ELU"));
    assertEquals(Activation.RRELU, Activations.named("rrelu"));
  }

  @Test
  void anUnknownNameIsAnErrorListingTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Activations.named("softmaxish"));
    assertEquals(
        "unknown activation 'softmaxish'; valid names: " + String.join(", ", Activations.names()),
        e.getMessage());
    assertTrue(e.getMessage().contains("leaky-relu, "), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Init.named("xavier"));
    assertTrue(
        e.getMessage()
            .startsWith("unknown initializer 'xavier'; valid names: glorot-normal, glorot,"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Loss.named("hinge"));
    assertEquals("unknown loss 'hinge'; valid names: softmax-ce, mse, sigmoid-bce", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Optimizers.named("lbfgs", 0.1));
    assertEquals(
        "unknown optimizer 'lbfgs'; valid names: sgd, momentum, nesterov, adagrad, rmsprop, adam,"
            + " nadam",
        e.getMessage());
  }

  @Test
  void initializersGoByTheKerasDefaultsShortNames() {
    assertEquals(Init.HE_NORMAL, Init.named("he"));
    assertEquals(Init.GLOROT_UNIFORM, Init.named("glorot"));
    assertEquals(Init.LECUN_NORMAL, Init.named("LECUN"));
    assertEquals(Init.HE_NORMAL, Init.named("he-normal"));
    assertEquals(Init.HE_UNIFORM, Init.named("he_uniform"));
    assertEquals("glorot", Init.GLOROT_UNIFORM.registeredName());
    assertEquals("glorot-normal", Init.GLOROT_NORMAL.registeredName());
    for (Init init : Init.values()) {
      assertEquals(init, Init.named(init.name()), "the constant's name, as spec JSON stores it");
      assertEquals(init, Init.named(init.registeredName()));
    }
    assertEquals(Init.values().length, Init.names().size());
  }

  @Test
  void theSuitedInitializerIsTheHarnessTable() {
    for (ActivationKind relu :
        List.of(ActivationKind.RELU, ActivationKind.LEAKY_RELU, ActivationKind.ELU)) {
      assertEquals(Init.HE_NORMAL, Activation.suitedInit(relu), relu.name());
    }
    assertEquals(Init.HE_NORMAL, Activation.suitedInit(ActivationKind.SWISH));
    assertEquals(Init.LECUN_NORMAL, Activation.suitedInit(ActivationKind.SELU));
    assertEquals(Init.GLOROT_UNIFORM, Activation.suitedInit(ActivationKind.TANH));
    assertEquals(Init.GLOROT_UNIFORM, Activation.suitedInit(ActivationKind.SIGMOID));
  }

  @Test
  void lossesKeepTheCommandLineSpellingsAndTheModelFileNames() {
    assertEquals(List.of("softmax-ce", "mse", "sigmoid-bce"), Loss.names());
    for (String ce : List.of("softmax-ce", "cross-entropy", "ce", "Softmax-CE")) {
      assertEquals(Loss.SOFTMAX_CROSS_ENTROPY, Loss.named(ce), ce);
    }
    assertEquals(Loss.MEAN_SQUARED_ERROR, Loss.named("mse"));
    assertEquals(Loss.SIGMOID_BINARY_CROSS_ENTROPY, Loss.named("bce"));
    for (Loss loss : Loss.values()) {
      assertEquals(loss, Loss.named(loss.name()), "the constant's name, as model files store it");
      assertEquals(loss, Loss.named(loss.registeredName()));
    }
  }

  @Test
  void eachLossRunsTheBackendOperationOfItsName() {
    List<String> calls = new ArrayList<>();
    Backend recorder =
        (Backend)
            Proxy.newProxyInstance(
                Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                  calls.add(method.getName());
                  return null;
                });
    for (Loss loss : Loss.values()) {
      loss.apply(recorder, null, null, null, null);
    }
    assertEquals(
        List.of("softmaxCrossEntropy", "sigmoidBinaryCrossEntropy", "meanSquaredError"), calls);
  }

  @Test
  void optimizersAreFreshWithTheirDefaults() {
    try (Optimizer adam = Optimizers.named("adam", 1e-3);
        Optimizer nesterov = Optimizers.named("NESTEROV", 0.1);
        Optimizer momentum = Optimizers.named("momentum", 0.1);
        Optimizer rmsprop = Optimizers.named("RmsProp", 0.01);
        Optimizer sgd = Optimizers.named("sgd", 0.5);
        Optimizer again = Optimizers.named("sgd", 0.5)) {
      assertInstanceOf(Adam.class, adam);
      assertEquals(1e-3, adam.learningRate());
      assertTrue(((Momentum) nesterov).isNesterov());
      assertEquals(false, ((Momentum) momentum).isNesterov());
      assertInstanceOf(RmsProp.class, rmsprop);
      assertInstanceOf(Sgd.class, sgd);
      assertTrue(sgd != again, "one optimizer per run");
    }
    assertEquals("rmsprop", Optimizers.canonicalName("RMSPROP"));
    assertThrows(IllegalArgumentException.class, () -> Optimizers.named("adam", 0));
  }

  @Test
  void specJsonIsWrittenAsBeforeAndReadThroughTheNames() throws Exception {
    ModelSpec spec =
        Model.sequential(
            Dense.of(4, 3).init(Init.HE_NORMAL), Activation.LEAKY_RELU, Dense.of(3, 2));
    String json = spec.toJson();
    assertTrue(json.contains("\"kind\":\"LEAKY_RELU\""), json);
    assertTrue(json.contains("\"weightInit\":\"HE_NORMAL\""), json);
    String shortNames =
        json.replace("\"LEAKY_RELU\"", "\"leaky-relu\"").replace("\"HE_NORMAL\"", "\"he\"");
    assertEquals(spec, ModelSpec.fromJson(shortNames));
    Exception e =
        assertThrows(
            Exception.class, () -> ModelSpec.fromJson(json.replace("LEAKY_RELU", "LEAKY")));
    assertTrue(e.getMessage().contains("unknown activation 'LEAKY'"), e.getMessage());
  }

  @Test
  void aRegistryRefusesAmbiguousNames() {
    NameRegistry.Builder<Integer> builder = NameRegistry.<Integer>of("number").add("one", 1);
    assertThrows(IllegalArgumentException.class, () -> builder.add("ONE", 2));
    assertThrows(IllegalArgumentException.class, () -> builder.add("uno", 1));
    assertThrows(IllegalArgumentException.class, () -> builder.add("two", 2, "one"));
    NameRegistry<Integer> numbers = builder.add("two", 2, "deux").build();
    assertEquals(2, numbers.named("DEUX"));
    assertEquals("two", numbers.nameOf(2));
    assertEquals(List.of("one", "two"), numbers.names());
  }
}
