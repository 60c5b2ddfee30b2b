package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared blocking driver: every pass in order, its packing before its multiplies, failures. */
class GemmPassesTest {
  /** Records when each task ran, on a clock all threads share. */
  private static class Recording implements GemmPasses.Steps {
    final AtomicInteger clock = new AtomicInteger();
    final List<int[]> packs = Collections.synchronizedList(new ArrayList<>());
    final List<int[]> multiplies = Collections.synchronizedList(new ArrayList<>());

    @Override
    public int packTasks(GemmPasses.Pass pass) {
      return 3;
    }

    @Override
    public void pack(GemmPasses.Pass pass, int task, int tasks) {
      packs.add(new int[] {pass.jc(), pass.pc(), task, clock.getAndIncrement()});
    }

    @Override
    public int multiplyTasks(GemmPasses.Pass pass) {
      return 5;
    }

    @Override
    public void multiply(GemmPasses.Pass pass, int task, int tasks) {
      multiplies.add(new int[] {pass.jc(), pass.pc(), task, clock.getAndIncrement()});
    }
  }

  @Test
  void everyPassPacksBeforeItMultipliesAndAfterThePassBefore() {
    try (Parallel parallel = new Parallel(3)) {
      Recording steps = new Recording();
      // n = 70 in widths of 32 (3 column panels), k = 25 in depths of 10 (3 passes each).
      new GemmPasses().run(parallel, true, 70, 25, 32, 10, steps);
      assertEquals(9 * 3, steps.packs.size());
      assertEquals(9 * 5, steps.multiplies.size());
      for (int[] p : steps.packs) {
        int pass = p[0] / 32 * 3 + p[1] / 10;
        for (int[] q : steps.multiplies) {
          int other = q[0] / 32 * 3 + q[1] / 10;
          if (other == pass) {
            assertTrue(p[3] < q[3], "pass " + pass + ": a multiply ran before its packing");
          } else if (other == pass - 1) {
            assertTrue(q[3] < p[3], "pass " + pass + " packed before pass " + other + " ended");
          }
        }
      }
    }
  }

  /**
   * Passes that pack nothing (B read in place) still run their multiplies one pass after the other:
   * each adds to the C the pass before wrote. The tasks take a millisecond each, so that a thread
   * done with its share of a pass would start the next one while the others still run.
   */
  @Test
  void passesWithoutPackingStillMultiplyOneAfterTheOther() throws InterruptedException {
    try (Parallel parallel = new Parallel(3)) {
      AtomicInteger clock = new AtomicInteger();
      List<int[]> spans = Collections.synchronizedList(new ArrayList<>());
      GemmPasses.Steps steps =
          new GemmPasses.Steps() {
            @Override
            public int packTasks(GemmPasses.Pass pass) {
              return 0;
            }

            @Override
            public void pack(GemmPasses.Pass pass, int task, int tasks) {
              throw new AssertionError("no pass has pack tasks");
            }

            @Override
            public int multiplyTasks(GemmPasses.Pass pass) {
              return 4;
            }

            @Override
            public void multiply(GemmPasses.Pass pass, int task, int tasks) {
              int start = clock.getAndIncrement();
              try {
                Thread.sleep(1);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              spans.add(new int[] {pass.pc() / 10, start, clock.getAndIncrement()});
            }
          };
      // k = 40 in depths of 10: four passes of four multiplies on three threads.
      new GemmPasses().run(parallel, true, 32, 40, 32, 10, steps);
      assertEquals(16, spans.size());
      for (int[] later : spans) {
        for (int[] earlier : spans) {
          if (earlier[0] == later[0] - 1) {
            assertTrue(
                earlier[2] < later[1],
                "a multiply of pass "
                    + later[0]
                    + " started before one of pass "
                    + earlier[0]
                    + " ended");
          }
        }
      }
    }
  }

  @Test
  void aFailingTaskFailsTheProductWithItsOwnException() {
    try (Parallel parallel = new Parallel(2)) {
      IllegalArgumentException thrown = new IllegalArgumentException("task 2 failed");
      GemmPasses.Steps steps =
          new Recording() {
            @Override
            public void multiply(GemmPasses.Pass pass, int task, int tasks) {
              if (pass.pc() == 0 && task == 2) {
                throw thrown;
              }
            }
          };
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () -> new GemmPasses().run(parallel, true, 10, 30, 8, 10, steps));
      assertSame(thrown, e);
    }
  }

  /**
   * One runner reused as a thread reuses it: a chain of more passes than the last, one of fewer,
   * one on the calling thread alone and one after a failed run each run every task of every pass
   * once, each pass's packing before its multiplies.
   */
  @Test
  void aReusedRunnerRunsEveryTaskOfEachProductOnce() {
    try (Parallel parallel = new Parallel(3)) {
      GemmPasses runner = new GemmPasses();
      GemmPasses.Steps failing =
          new Recording() {
            @Override
            public void multiply(GemmPasses.Pass pass, int task, int tasks) {
              throw new IllegalStateException("multiply failed");
            }
          };
      assertThrows(
          IllegalStateException.class, () -> runner.run(parallel, true, 40, 20, 8, 10, failing));
      int[][] shapes = {{70, 25, 32, 10}, {200, 45, 32, 10}, {40, 20, 32, 10}};
      for (int[] shape : shapes) {
        for (boolean threaded : new boolean[] {true, false}) {
          Recording steps = new Recording();
          runner.run(parallel, threaded, shape[0], shape[1], shape[2], shape[3], steps);
          int columns = (shape[0] + shape[2] - 1) / shape[2];
          int depths = (shape[1] + shape[3] - 1) / shape[3];
          String what = "n=" + shape[0] + " k=" + shape[1] + " threaded=" + threaded;
          assertEquals(columns * depths * 3, steps.packs.size(), what);
          assertEquals(columns * depths * 5, steps.multiplies.size(), what);
          Set<String> seen = new HashSet<>();
          for (int[] q : steps.multiplies) {
            assertTrue(seen.add(q[0] + "," + q[1] + "," + q[2]), what + ": a multiply ran twice");
            for (int[] p : steps.packs) {
              if (p[0] == q[0] && p[1] == q[1]) {
                assertTrue(p[3] < q[3], what + ": a multiply ran before its pass's packing");
              }
            }
          }
        }
      }
    }
  }
}
