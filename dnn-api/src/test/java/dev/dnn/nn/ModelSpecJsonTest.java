package dev.dnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.data.ScalerParams;
import dev.dnn.init.Init;
import dev.dnn.internal.io.Json;
import dev.dnn.loss.Loss;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecJsonTest {
  /**
   * What the library wrote for {@link #everyLayerType()} while the annotations sat on the records.
   */
  private static final String STORED_FORM =
      "{\"inputs\":8,\"layers\":["
          + "{\"type\":\"dense\",\"inputs\":8,\"outputs\":12,\"weightInit\":\"HE_NORMAL\","
          + "\"biasInit\":\"ZEROS\"},"
          + "{\"type\":\"batchnorm\",\"momentum\":0.1,\"epsilon\":1.0E-5},"
          + "{\"type\":\"activation\",\"kind\":\"LEAKY_RELU\",\"alpha\":0.2,\"lower\":0.0,"
          + "\"upper\":0.0},"
          + "{\"type\":\"dropout\",\"keepProbability\":0.8},"
          + "{\"type\":\"residual\",\"body\":["
          + "{\"type\":\"dense\",\"inputs\":12,\"outputs\":12,\"weightInit\":\"LECUN_UNIFORM\","
          + "\"biasInit\":\"ZEROS\"},"
          + "{\"type\":\"activation\",\"kind\":\"SELU\",\"alpha\":0.0,\"lower\":0.0,"
          + "\"upper\":0.0}]},"
          + "{\"type\":\"activation\",\"kind\":\"PRELU\",\"alpha\":0.25,\"lower\":0.0,"
          + "\"upper\":0.0},"
          + "{\"type\":\"dense\",\"inputs\":12,\"outputs\":6,\"weightInit\":\"GLOROT_UNIFORM\","
          + "\"biasInit\":\"ZEROS\"},"
          + "{\"type\":\"maxout\",\"pieces\":2},"
          + "{\"type\":\"activation\",\"kind\":\"RRELU\",\"alpha\":0.0,\"lower\":0.1,"
          + "\"upper\":0.2},"
          + "{\"type\":\"dense\",\"inputs\":3,\"outputs\":2,\"weightInit\":\"GLOROT_UNIFORM\","
          + "\"biasInit\":\"GLOROT_UNIFORM\"}]}";

  private static ModelSpec everyLayerType() {
    return Model.sequential(
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
  }

  @Test
  void everyLayerTypeSurvivesAJsonRoundTrip() {
    ModelSpec spec = everyLayerType();
    String json = spec.toJson();
    assertTrue(json.contains("\"type\":\"dense\""), json);
    assertTrue(json.contains("\"type\":\"residual\""), json);
    ModelSpec back = ModelSpec.fromJson(json);
    assertEquals(spec, back);
    assertEquals(2, back.outputs());
  }

  @Test
  void theJsonIsByteForByteWhatModelFilesAlreadyStore() {
    assertEquals(STORED_FORM, everyLayerType().toJson());
    assertEquals(everyLayerType(), ModelSpec.fromJson(STORED_FORM));
    ScalerParams scaler =
        new ScalerParams("standardize", new float[] {0.5f, -1.25f}, new float[] {2f, 1e-3f});
    String stored = "{\"kind\":\"standardize\",\"offset\":[0.5,-1.25],\"scale\":[2.0,0.001]}";
    assertEquals(stored, Json.write(scaler));
  }

  @Test
  void badJsonIsRefusedWithJacksonsReason() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelSpec.fromJson(STORED_FORM.replace("\"maxout\"", "\"maxpool\"")));
    assertTrue(e.getMessage().startsWith("invalid model spec JSON: "), e.getMessage());
    assertTrue(e.getMessage().contains("maxpool"), e.getMessage());
  }

  @Test
  void thePublicRecordsCarryNoJacksonAnnotations() {
    List<Class<?>> types =
        List.of(
            LayerSpec.class,
            Dense.class,
            Activation.class,
            Dropout.class,
            BatchNorm.class,
            Maxout.class,
            Residual.class,
            ModelSpec.class,
            ScalerParams.class,
            ActivationKind.class,
            Init.class,
            Loss.class);
    List<String> annotated = new ArrayList<>();
    for (Class<?> type : types) {
      List<AnnotatedElement> elements = new ArrayList<>(List.of(type));
      elements.addAll(Arrays.asList(type.getDeclaredMethods()));
      elements.addAll(Arrays.asList(type.getDeclaredConstructors()));
      elements.addAll(Arrays.asList(type.getDeclaredFields()));
      if (type.isRecord()) {
        elements.addAll(Arrays.asList(type.getRecordComponents()));
      }
      for (AnnotatedElement element : elements) {
        Arrays.stream(element.getDeclaredAnnotations())
            .map(a -> a.annotationType().getName())
            .filter(name -> name.startsWith("com.fasterxml."))
            .forEach(name -> annotated.add(describe(type, element) + " @" + name));
      }
    }
    assertEquals(List.of(), annotated);
  }

  private static String describe(Class<?> type, AnnotatedElement element) {
    return element instanceof RecordComponent c
        ? type.getSimpleName() + "." + c.getName()
        : element instanceof Class<?> ? type.getSimpleName() : element.toString();
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
