package dev.dnn.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.data.DataSet;
import dev.dnn.data.FashionMnist;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransferStudyTest {
  private static TransferStudy.Data bundled;

  @BeforeAll
  static void load() throws IOException {
    FashionMnist fashion = FashionMnist.bundledTestSplit();
    bundled = new TransferStudy.Data(fashion.test(), null, fashion.source());
  }

  private static TransferStudy.Config tiny(int[] source) {
    return new TransferStudy.Config(
        source,
        new int[] {5, 6, 7, 8, 9},
        new int[] {16, 8},
        ActivationKind.RELU,
        1,
        1,
        new int[] {3, 10},
        2,
        40,
        3,
        1e-3,
        3e-4,
        16,
        300);
  }

  private static List<TransferStudy.Outcome> run(TransferStudy.Config config) {
    List<TransferStudy.Outcome> seen = new ArrayList<>();
    try (Backend cpu = Backends.select("cpu")) {
      List<TransferStudy.Outcome> outcomes = TransferStudy.run(config, cpu, bundled, seen::add);
      assertEquals(seen, outcomes, "progress sees every outcome, in order");
      return outcomes;
    }
  }

  @Test
  void everySeedAndBudgetIsMeasuredRepeatablyAndScratchNeverSeesTheSource() {
    List<TransferStudy.Outcome> first = run(tiny(new int[] {0, 1, 2, 3, 4}));
    assertEquals(4, first.size());
    assertEquals(List.of(40L, 40L, 41L, 41L), first.stream().map(o -> o.seed()).toList());
    assertEquals(List.of(3, 10, 3, 10), first.stream().map(o -> o.perClass()).toList());
    for (TransferStudy.Outcome o : first) {
      for (double accuracy : new double[] {o.scratch(), o.headOnly(), o.transferred()}) {
        assertTrue(accuracy >= 0 && accuracy <= 1, o.toString());
      }
    }
    assertEquals(first, run(tiny(new int[] {0, 1, 2, 3, 4})), "the same seeds give the same run");

    // Pretraining on other classes changes the transferred network but not the scratch one.
    List<TransferStudy.Outcome> other = run(tiny(new int[] {0, 1}));
    for (int i = 0; i < first.size(); i++) {
      assertEquals(first.get(i).scratch(), other.get(i).scratch(), 0.0, "scratch, run " + i);
    }
    assertNotEquals(
        first.stream().map(o -> o.headOnly()).toList(),
        other.stream().map(o -> o.headOnly()).toList());
  }

  @Test
  void budgetTakesTheFirstExamplesOfEachClassAndHoldsOutTheRest() {
    int n = 40;
    float[] x = new float[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = (i * 7) % 4;
    }
    DataSet data = DataSet.classification(x, 1, y, 4);
    TransferStudy.Budget budget = TransferStudy.Budget.draw(data, 3, new int[] {5, 6, 7, 8});
    assertEquals(12, budget.train().size());
    assertEquals(28, budget.rest().size());
    int[] perClass = new int[4];
    Set<Float> trainIds = new HashSet<>();
    for (int i = 0; i < budget.train().size(); i++) {
      perClass[budget.train().label(i)]++;
      trainIds.add(budget.train().featuresView()[i]);
      // Each class's first three examples in the data's order: ids below 12.
      assertTrue(budget.train().featuresView()[i] < 12, "example " + i);
    }
    assertEquals(List.of(3, 3, 3, 3), List.of(perClass[0], perClass[1], perClass[2], perClass[3]));
    for (int i = 0; i < budget.rest().size(); i++) {
      assertTrue(!trainIds.contains(budget.rest().featuresView()[i]), "held out and trained on");
    }

    IllegalArgumentException tooFew =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransferStudy.Budget.draw(data, 11, new int[] {5, 6, 7, 8}));
    assertTrue(
        tooFew.getMessage().contains("target class 5 has only 10 examples"), tooFew.getMessage());
  }

  @Test
  void configurationRejectsOverlappingClassesAndOutOfRangeValues() {
    IllegalArgumentException overlap =
        assertThrows(IllegalArgumentException.class, () -> tiny(new int[] {0, 1, 5}));
    assertTrue(overlap.getMessage().contains("class 5 is both a source and a target class"));
    IllegalArgumentException keep =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TransferStudy.Config(
                    new int[] {0, 1},
                    new int[] {2, 3},
                    new int[] {8},
                    ActivationKind.RELU,
                    2,
                    1,
                    new int[] {1},
                    1,
                    1,
                    1,
                    1e-3,
                    1e-3,
                    8,
                    10));
    assertTrue(keep.getMessage().contains("the kept hidden layers must be 1-1"), keep.getMessage());
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> tiny(new int[] {0, 1, 1}));
    assertTrue(twice.getMessage().contains("the source classes name a class twice"));
  }
}
