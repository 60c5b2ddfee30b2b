package dev.dnn.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.init.Init;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentPlanTest {
  @Test
  void theFiveConfigurationsOfTheLecture() {
    List<RunConfig> configs = ExperimentPlan.configs(Scale.FULL, 7);
    assertEquals(
        List.of("MLP", "Deep-tanh", "ReLU", "Tuned", "Overfitted"),
        configs.stream().map(RunConfig::name).toList());
    RunConfig tanh = configs.get(1);
    assertEquals(List.of(10_000, 10_000, 10_000), tanh.hidden());
    assertEquals(ActivationKind.TANH, tanh.activation());
    assertEquals(Init.GLOROT_UNIFORM, tanh.init());
    assertEquals(600, tanh.epochs());
    assertEquals(Init.HE_NORMAL, configs.get(2).init());
    assertEquals(ExperimentPlan.FUNNEL, configs.get(3).hidden());
    assertTrue(configs.get(4).epochs() > configs.get(3).epochs(), "overfitting needs more epochs");
    assertEquals(0.0, configs.get(4).dropout(), "the overfitted network has no regularization");
    configs.forEach(c -> assertEquals(7, c.seed()));
  }

  @Test
  void selectsByNameIgnoringCaseAndRejectsUnknownNames() {
    List<RunConfig> all = ExperimentPlan.configs(Scale.SMALL, 1);
    assertEquals(
        List.of("Deep-tanh", "ReLU"),
        ExperimentPlan.select(all, List.of("relu", "DEEP-TANH")).stream()
            .map(RunConfig::name)
            .toList());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ExperimentPlan.select(all, List.of("resnet")));
    assertTrue(e.getMessage().contains("'resnet'"), e.getMessage());
  }

  @Test
  void configurationNamesTheFieldThatIsWrong() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RunConfig(
                    "x",
                    List.of(10, 0),
                    ActivationKind.RELU,
                    Init.HE_NORMAL,
                    "sgd",
                    0.1,
                    32,
                    1,
                    0,
                    1));
    assertTrue(e.getMessage().contains("hidden layer 2"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RunConfig(
                    "x",
                    List.of(10),
                    ActivationKind.RELU,
                    Init.HE_NORMAL,
                    "sgd",
                    0.1,
                    32,
                    1,
                    1.0,
                    1));
    assertTrue(e.getMessage().contains("dropout"), e.getMessage());
  }

  @Test
  void layerNormsAreOrderedByLayerIndexNumerically() {
    Map<String, Double> norms = new LinkedHashMap<>();
    norms.put("layers.10", 3.0);
    norms.put("layers.2", 2.0);
    norms.put("layers.0", 1.0);
    assertEquals(
        List.of("layers.0", "layers.2", "layers.10"),
        List.copyOf(TrainingRun.byLayerIndex(norms).keySet()));
  }
}
