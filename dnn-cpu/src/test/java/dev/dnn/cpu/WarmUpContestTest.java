package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * When the warm-up hands the work to the vector forms ({@link VectorWarmUp#contest}), on a clock
 * the test drives: the vector GEMM's and the plain GEMM's times per round are scripted, and every
 * timed product and pause advances the clock by its own length.
 */
class WarmUpContestTest {
  private static final long PLAIN_NANOS = TimeUnit.MICROSECONDS.toNanos(400);
  private static final long DEADLINE = TimeUnit.SECONDS.toNanos(VectorWarmUp.LIMIT_SECONDS);
  private static final long LAST_CHECK = TimeUnit.SECONDS.toNanos(VectorWarmUp.LAST_CHECK_SECONDS);

  @Test
  void compiledVectorCodeWinsOnceTheThresholdsArePassed() throws InterruptedException {
    // Several times the plain time while interpreted, then half of it from round 10 on.
    Script script = new Script(round -> round < 10 ? 5 * PLAIN_NANOS : PLAIN_NANOS / 2);
    VectorWarmUp.Outcome outcome = script.run();
    assertTrue(outcome.won());
    assertEquals(VectorWarmUp.MIN_ROUNDS, outcome.rounds());
    assertEquals(
        VectorWarmUp.MIN_ROUNDS, script.covers, "every round before the thresholds feeds the JIT");
  }

  @Test
  void aLateCompileWinsTwiceInARowAfterTheThresholds() throws InterruptedException {
    int compiledFrom = VectorWarmUp.MIN_ROUNDS + 7;
    Script script = new Script(round -> round < compiledFrom ? 3 * PLAIN_NANOS : PLAIN_NANOS / 2);
    VectorWarmUp.Outcome outcome = script.run();
    assertTrue(outcome.won());
    assertEquals(compiledFrom + 2, outcome.rounds());
    assertEquals(VectorWarmUp.MIN_ROUNDS, script.covers, "past the thresholds a round only times");
  }

  @Test
  void theRoundsThatCanDecideTakeTheLeastOfSeveralTimings() throws InterruptedException {
    Script script = new Script(round -> PLAIN_NANOS / 2);
    script.run();
    List<Integer> asked = script.repeatsAsked;
    assertEquals(VectorWarmUp.MIN_ROUNDS, asked.size());
    assertTrue(
        asked.subList(0, VectorWarmUp.MIN_ROUNDS - 2).stream().allMatch(r -> r == 1), "" + asked);
    assertEquals(
        List.of(VectorWarmUp.TIMED_REPEATS, VectorWarmUp.TIMED_REPEATS),
        asked.subList(VectorWarmUp.MIN_ROUNDS - 2, VectorWarmUp.MIN_ROUNDS));
  }

  @Test
  void aPlainGemmSlowedByTheCallersThreadsDoesNotMakeSlowVectorCodeWin()
      throws InterruptedException {
    // The vector GEMM at twice the plain one's time (C1's code), the plain one slowed fourfold
    // from round 5 on, as the caller's threads do once training starts.
    Script script = new Script(round -> 2 * PLAIN_NANOS);
    script.plainNanos = round -> round < 5 ? PLAIN_NANOS : 4 * PLAIN_NANOS;
    VectorWarmUp.Outcome outcome = script.run();
    assertFalse(outcome.won());
    assertTrue(script.clock >= LAST_CHECK, "ran until the last check: " + script.clock);
  }

  @Test
  void aVectorGemmThatIsOnlyAsFastStaysUnusedUntilTheLastCheck() throws InterruptedException {
    // Within noise of the plain GEMM: not the clear win compiled code gives, so no switch.
    Script script = new Script(round -> PLAIN_NANOS * 9 / 10);
    VectorWarmUp.Outcome outcome = script.run();
    assertFalse(outcome.won());
    assertTrue(script.clock >= LAST_CHECK, "ran until the last check: " + script.clock);
  }

  @Test
  void aCompileThatEndsAfterTheDeadlineStillWinsWithARoundASecond() throws InterruptedException {
    // C2 left little of the cores by the user's work: the vector GEMM is compiled 30 s after the
    // start, past the deadline of the close rounds.
    long compiledAt = DEADLINE + TimeUnit.SECONDS.toNanos(30);
    Script script = new Script(round -> 0);
    script.vectorByClock = clock -> clock < compiledAt ? 3 * PLAIN_NANOS : PLAIN_NANOS / 2;
    VectorWarmUp.Outcome outcome = script.run();
    assertTrue(outcome.won());
    long oneSecond = TimeUnit.MILLISECONDS.toNanos(VectorWarmUp.RECHECK_MILLIS);
    assertTrue(
        script.clock >= compiledAt && script.clock < compiledAt + 3 * oneSecond,
        "won at " + script.clock);
    long pausedAfterDeadline = script.pauseStarts.stream().filter(t -> t >= DEADLINE).count();
    assertTrue(
        pausedAfterDeadline >= 29 && pausedAfterDeadline <= 32,
        "a round a second after the deadline: " + pausedAfterDeadline);
  }

  @Test
  void oneFastRoundAmongSlowOnesIsNotEnough() throws InterruptedException {
    // Every third round looks fast, as a plain round slowed by a collection would make it.
    Script script = new Script(round -> round % 3 == 0 ? PLAIN_NANOS / 2 : 4 * PLAIN_NANOS);
    assertFalse(script.run().won());
  }

  @Test
  void pausesKeepTheWarmUpToAThirdOfACoreOnceTheThresholdsArePassed() throws InterruptedException {
    // Rounds of 40 ms, long enough that the pause follows their length, not the shortest pause.
    Script script = new Script(round -> 100 * PLAIN_NANOS);
    assertFalse(script.run().won());
    long working = script.roundNanos.stream().mapToLong(Long::longValue).sum();
    long pausing = script.pauseNanos.stream().mapToLong(Long::longValue).sum();
    assertTrue(script.roundNanos.size() > 100, "rounds timed: " + script.roundNanos.size());
    assertTrue(
        working * (1 + VectorWarmUp.PAUSE_PER_ROUND) <= (working + pausing) * 1.01,
        "working " + working + " ns against " + pausing + " ns paused");
  }

  @Test
  void theSecondPhaseRunsItsRoundsWithAPauseAfterEach() throws InterruptedException {
    Script script = new Script(round -> PLAIN_NANOS);
    List<Long> pauses = new ArrayList<>();
    VectorWarmUp.laterRounds(script::coverLater, pauses::add);
    assertEquals(VectorWarmUp.LATER_ROUNDS, script.laterCovers);
    assertEquals(0, script.covers, "the second phase calls the first phase's rounds");
    assertEquals(List.of(VectorWarmUp.WAIT_MILLIS), pauses.stream().distinct().toList());
    assertEquals(VectorWarmUp.LATER_ROUNDS, pauses.size());
  }

  @Test
  void aRequestedFamilyGetsItsRoundsAndNothingElse() throws InterruptedException {
    Script script = new Script(round -> PLAIN_NANOS);
    List<Long> pauses = new ArrayList<>();
    VectorWarmUp.laterRounds(() -> script.coverFamily(VectorWarmUp.Family.DROPOUT), pauses::add);
    assertEquals(
        Collections.nCopies(VectorWarmUp.LATER_ROUNDS, VectorWarmUp.Family.DROPOUT),
        script.families);
    assertEquals(0, script.covers + script.laterCovers, "other rounds run for a family");
    assertEquals(VectorWarmUp.LATER_ROUNDS, pauses.size());
  }

  /** Rounds on a simulated clock: a round's vector time is scripted, the plain time fixed. */
  private static final class Script implements VectorWarmUp.Rounds {
    final IntToLongFunction vectorNanos;
    IntToLongFunction plainNanos = round -> PLAIN_NANOS;

    /** When set, the vector GEMM's time by the clock at the round's start, not by the round. */
    LongUnaryOperator vectorByClock;

    /** The clock at the start of each pause. */
    final List<Long> pauseStarts = new ArrayList<>();

    /** Past the thresholds: each round's own length, and the pause after it. */
    final List<Long> roundNanos = new ArrayList<>();

    final List<Long> pauseNanos = new ArrayList<>();
    long clock;
    int round;
    int covers;
    int laterCovers;
    final List<VectorWarmUp.Family> families = new ArrayList<>();
    final List<Integer> repeatsAsked = new ArrayList<>();
    long pauseEnd = -1;

    Script(IntToLongFunction vectorNanos) {
      this.vectorNanos = vectorNanos;
    }

    VectorWarmUp.Outcome run() throws InterruptedException {
      return VectorWarmUp.contest(
          this,
          DEADLINE,
          LAST_CHECK,
          () -> clock,
          millis -> {
            // Rounds after the first pause: each is only the timing, then its pause.
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            pauseStarts.add(clock);
            if (pauseEnd >= 0) {
              roundNanos.add(clock - pauseEnd);
              pauseNanos.add(nanos);
            }
            clock += nanos;
            pauseEnd = clock;
          });
    }

    @Override
    public void cover() {
      covers++;
      clock += 3 * PLAIN_NANOS;
    }

    @Override
    public void coverFamily(VectorWarmUp.Family family) {
      families.add(family);
      clock += 3 * PLAIN_NANOS;
    }

    @Override
    public void coverLater() {
      laterCovers++;
      clock += 3 * PLAIN_NANOS;
    }

    @Override
    public VectorWarmUp.Timings timed(int repeats) {
      repeatsAsked.add(repeats);
      long vector =
          vectorByClock != null ? vectorByClock.applyAsLong(clock) : vectorNanos.applyAsLong(round);
      long plain = plainNanos.applyAsLong(round);
      round++;
      clock += vector + plain;
      return new VectorWarmUp.Timings(vector, plain);
    }
  }
}
