package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderedSumTest {
  private static Contribution contribution(double value) {
    Contribution c = new Contribution();
    c.rows = 1;
    c.loss = value;
    c.sums = new double[][] {{value, -value}};
    return c;
  }

  /**
   * Values of very different magnitudes make double addition order-dependent; the sum must not
   * depend on the order partitions arrive in nor on how they are grouped into partial sums.
   */
  @Test
  void theSumDoesNotDependOnArrivalOrderOrGrouping() {
    for (int partitions : new int[] {1, 2, 3, 5, 8, 13}) {
      Random random = new Random(partitions);
      double[] values = new double[partitions];
      for (int i = 0; i < partitions; i++) {
        values[i] = Math.scalb(random.nextDouble(), random.nextInt(80) - 40);
      }
      Double expected = null;
      for (int trial = 0; trial < 50; trial++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
          order.add(i);
        }
        Collections.shuffle(order, random);
        // Split into two reducers, as a treeAggregate level may, then merge in random order.
        int cut = random.nextInt(partitions + 1);
        OrderedSum a = new OrderedSum(partitions);
        OrderedSum b = new OrderedSum(partitions);
        for (int i = 0; i < partitions; i++) {
          int p = order.get(i);
          (i < cut ? a : b).add(p, contribution(values[p]));
        }
        Contribution total = (random.nextBoolean() ? a.merge(b) : b.merge(a)).total();
        assertEquals(partitions, total.rows);
        assertEquals(total.loss, total.sums[0][0], 0);
        if (expected == null) {
          expected = total.loss;
        }
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(total.loss));
      }
    }
  }

  @Test
  void aMissingPartitionIsAnError() {
    OrderedSum sum = new OrderedSum(3);
    sum.add(0, contribution(1));
    sum.add(2, contribution(2));
    assertThrows(IllegalStateException.class, sum::total);
  }
}
