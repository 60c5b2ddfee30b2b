package dev.dnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnn.init.Init;
import org.junit.jupiter.api.Test;

class ModelSpecJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void everyLayerTypeSurvivesAJsonRoundTrip() throws Exception {
    ModelSpec spec =
        Model.sequential(
            Dense.of(8, 12).init(Init.HE_NORMAL),
            BatchNorm.of(),
            Activation.leakyRelu(0.2),
            Dropout.keep(0.8),
            Residual.of(Dense.of(12, 12).init(Init.LECUN_UNIFORM), Activation.SELU),
            Activation.PRELU,
            Dense.of(12, 6),
            Maxout.of(2),
            Activation.randomizedLeakyRelu(0.1, 0.2),
            Dense.of(3, 2).biasInit(Init.GLOROT_UNIFORM));
    String json = mapper.writeValueAsString(spec);
    assertTrue(json.contains("\"type\":\"dense\""), json);
    assertTrue(json.contains("\"type\":\"residual\""), json);
    ModelSpec back = mapper.readValue(json, ModelSpec.class);
    assertEquals(spec, back);
    assertEquals(2, back.outputs());
  }

  @Test
  void inputWidthIsTakenFromTheFirstDenseLayer() {
    assertEquals(784, Model.sequential(Dense.of(784, 10)).inputs());
    assertEquals(5, Model.sequential(Activation.TANH, Dense.of(5, 3)).inputs());
  }

  @Test
  void mismatchedLayersNameTheLayerAndTheWidths() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Model.sequential(Dense.of(4, 5), Activation.RELU, Dense.of(6, 3)));
    assertTrue(e.getMessage().contains("layers.2"), e.getMessage());
    assertTrue(e.getMessage().contains("receives 5"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Model.sequential(Dense.of(4, 5), Residual.of(Dense.of(5, 4))));
    assertTrue(e.getMessage().contains("layers.1"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Model.sequential(Dense.of(4, 5), Maxout.of(2)));
    assertThrows(IllegalArgumentException.class, () -> Dropout.keep(0));
    assertThrows(IllegalArgumentException.class, () -> Dropout.keep(1.5));
    assertThrows(IllegalArgumentException.class, () -> Dense.of(0, 3));
    assertThrows(IllegalArgumentException.class, () -> Model.sequential(Activation.RELU));
  }
}
