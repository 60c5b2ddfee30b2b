package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;

class TrainingParamsTest {
  private static final Set<String> DNN_PARAMS =
      Set.of(
          "hidden",
          "activation",
          "spec",
          "optimizer",
          "stepSize",
          "batchSize",
          "epochs",
          "dropout",
          "seed",
          "numWorkers",
          "localSteps",
          "validationIndicatorCol",
          "earlyStoppingPatience",
          "checkpointDir",
          "checkpointInterval");

  @Test
  void bothEstimatorsExposeDnnsParamsAsTheirOwnWithTheDefaults() {
    for (DnnTrainingParams<?> stage : List.of(new DnnClassifier(), new DnnRegressor())) {
      Param<?>[] params = stage.params();
      Set<String> names = Arrays.stream(params).map(Param::name).collect(Collectors.toSet());
      assertTrue(names.containsAll(DNN_PARAMS), names.toString());
      assertTrue(names.containsAll(Set.of("featuresCol", "labelCol", "predictionCol")));
      for (Param<?> p : params) {
        assertEquals(stage.uid(), p.parent(), p.name());
        assertTrue(stage.hasDefault(p) || !DNN_PARAMS.contains(p.name()), p.name());
      }
      assertArrayEquals(new int[] {64}, stage.getHidden());
      assertEquals("relu", stage.getActivation());
      assertEquals("", stage.getSpec());
      assertEquals("adam", stage.getOptimizer());
      assertEquals(1e-3, stage.getStepSize());
      assertEquals(128, stage.getBatchSize());
      assertEquals(10, stage.getEpochs());
      assertEquals(0.0, stage.getDropout());
      assertEquals(0L, stage.getSeed());
      assertEquals(0, stage.getNumWorkers());
      assertEquals(1, stage.getLocalSteps());
      assertEquals("", stage.getValidationIndicatorCol());
      assertEquals(5, stage.getEarlyStoppingPatience());
      assertEquals("", stage.getCheckpointDir());
      assertEquals(1, stage.getCheckpointInterval());
      assertThrows(IllegalArgumentException.class, () -> stage.setStepSize(0));
      assertThrows(IllegalArgumentException.class, () -> stage.setHidden(4, 0));
      assertThrows(IllegalArgumentException.class, () -> stage.setDropout(1));
    }
  }

  @Test
  void aCopyHasItsOwnParamsWithTheValuesAndTheExtraOnes() {
    DnnRegressor regressor = new DnnRegressor().setEpochs(3).setHidden(7, 5).setSeed(11);
    DnnRegressor copy = regressor.copy(new ParamMap().put(regressor.stepSize(), 0.5));
    assertEquals(regressor.uid(), copy.uid());
    assertNotSame(regressor.trainingParams(), copy.trainingParams());
    assertEquals(regressor.epochs(), copy.epochs());
    assertEquals(3, copy.getEpochs());
    assertArrayEquals(new int[] {7, 5}, copy.getHidden());
    assertEquals(11L, copy.getSeed());
    assertEquals(0.5, copy.getStepSize());
    assertEquals(1e-3, regressor.getStepSize());

    DnnClassifier classifier = new DnnClassifier("dnnClassifier_fixed").setOptimizer("sgd");
    DnnClassifier copied = classifier.copy(ParamMap.empty());
    assertEquals("dnnClassifier_fixed", copied.uid());
    assertEquals("sgd", copied.getOptimizer());
    assertEquals("rawPrediction", copied.getRawPredictionCol());
  }
}
