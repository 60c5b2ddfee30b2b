package dev.dnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.cli.run.TransferStudy.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferTableTest {
  @Test
  void pairsBySeedAndReportsTheMeanAdvantageWithItsStandardError() {
    List<Outcome> outcomes =
        List.of(
            new Outcome(20, 1, 0.80, 0.70, 0.90),
            new Outcome(5, 1, 0.60, 0.50, 0.55),
            new Outcome(20, 2, 0.70, 0.60, 0.90),
            new Outcome(20, 3, 0.60, 0.80, 0.90));
    List<TransferTable.Row> rows = TransferTable.summarize(outcomes);
    assertEquals(List.of(5, 20), rows.stream().map(TransferTable.Row::perClass).toList());

    TransferTable.Row twenty = rows.get(1);
    assertEquals(3, twenty.seeds());
    assertEquals(0.70, twenty.scratch(), 1e-12);
    assertEquals(0.70, twenty.headOnly(), 1e-12);
    assertEquals(0.90, twenty.transferred(), 1e-12);
    // Advantages 0.1, 0.2, 0.3: mean 0.2, sample deviation 0.1, standard error 0.1 / sqrt(3).
    assertEquals(0.2, twenty.advantage(), 1e-12);
    assertEquals(0.1 / Math.sqrt(3), twenty.standardError(), 1e-12);
    assertEquals(3, twenty.ahead());

    TransferTable.Row five = rows.get(0);
    assertEquals(-0.05, five.advantage(), 1e-12);
    assertTrue(Double.isNaN(five.standardError()), "one seed has no spread");
    assertEquals(0, five.ahead());

    String table = TransferTable.of(outcomes).render();
    assertTrue(table.contains("+20.00 ± 5.77 pts"), table);
    assertTrue(table.contains("-5.00 pts"), table);
    assertTrue(table.contains("3/3"), table);
  }
}
