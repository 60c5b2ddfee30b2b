package dev.dnn.data;

import dev.dnn.internal.random.RandomStreams;
import java.util.Arrays;

/**
 * A data set divided into training, development (validation) and test parts, at random but
 * repeatably: the same seed gives the same split.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param train the examples to fit on
 * @param dev the examples to tune and stop on
 * @param test the examples to report on
 */
public record DataSplit(DataSet train, DataSet dev, DataSet test) {
  /**
   * Splits {@code data}: a fraction {@code trainFraction} for training, {@code devFraction} for
   * development, the rest for test. Stratified, each class is split in these proportions on its own
   * (so rare classes appear in every part); the parts still get the sizes of an unstratified split,
   * the examples left over by whole-number rounding going to the classes with the largest
   * remainders; the examples of each part are then shuffled. Randomness comes from Philox, on the
   * library's stream of data set splits.
   *
   * @throws IllegalArgumentException if a fraction is negative or they add up to more than 1, or
   *     stratification is asked of a regression data set
   */
  public static DataSplit of(
      DataSet data, double trainFraction, double devFraction, long seed, boolean stratified) {
    if (!(trainFraction >= 0 && devFraction >= 0 && trainFraction + devFraction <= 1 + 1e-9)) {
      throw new IllegalArgumentException(
          "fractions train "
              + trainFraction
              + " and dev "
              + devFraction
              + " must be non-negative and add up to at most 1");
    }
    if (stratified && !data.isClassification()) {
      throw new IllegalArgumentException("only a classification data set can be stratified");
    }
    int n = data.size();
    int[][] parts = {new int[n], new int[n], new int[n]};
    int[] counts = new int[3];
    int trainCount = (int) Math.round(n * trainFraction);
    int devCount = Math.min(n - trainCount, (int) Math.round(n * devFraction));
    if (stratified) {
      int[] labels = data.labels();
      int[] perClass = new int[data.classCount()];
      for (int y : labels) {
        perClass[y]++;
      }
      int[][] members = new int[data.classCount()][];
      for (int c = 0; c < members.length; c++) {
        members[c] = new int[perClass[c]];
      }
      int[] filled = new int[data.classCount()];
      for (int i = 0; i < n; i++) {
        members[labels[i]][filled[labels[i]]++] = i;
      }
      int[] trainPerClass = apportion(perClass, trainFraction, trainCount, perClass);
      int[] left = new int[perClass.length];
      for (int c = 0; c < left.length; c++) {
        left[c] = perClass[c] - trainPerClass[c];
      }
      int[] devPerClass = apportion(perClass, devFraction, devCount, left);
      for (int c = 0; c < members.length; c++) {
        Permutations.shuffle(members[c], seed, RandomStreams.stream(RandomStreams.SPLIT, c + 1, 0));
        cut(members[c], trainPerClass[c], devPerClass[c], parts, counts);
      }
    } else {
      int[] order = Permutations.random(n, seed, RandomStreams.stream(RandomStreams.SPLIT, 0, 0));
      cut(order, trainCount, devCount, parts, counts);
    }
    DataSet[] sets = new DataSet[3];
    for (int p = 0; p < 3; p++) {
      int[] examples = Arrays.copyOf(parts[p], counts[p]);
      if (stratified) {
        // Classes were appended one after another: mix them.
        Permutations.shuffle(
            examples, seed, RandomStreams.stream(RandomStreams.SPLIT, 0, 1 + (long) p));
      }
      sets[p] = data.select(examples);
    }
    return new DataSplit(sets[0], sets[1], sets[2]);
  }

  /**
   * Shares {@code total} examples among the classes in proportion to {@code sizes[c] * fraction},
   * at most {@code caps[c]} each: every class gets the whole part of its quota, and the rest go one
   * at a time to the class whose quota is furthest above what it has (the lowest class on ties).
   */
  private static int[] apportion(int[] sizes, double fraction, int total, int[] caps) {
    int[] shares = new int[sizes.length];
    int remaining = total;
    for (int c = 0; c < sizes.length; c++) {
      shares[c] = Math.min(caps[c], (int) Math.floor(sizes[c] * fraction));
      remaining -= shares[c];
    }
    for (; remaining > 0; remaining--) {
      int best = -1;
      for (int c = 0; c < sizes.length; c++) {
        if (shares[c] < caps[c]
            && (best < 0
                || sizes[c] * fraction - shares[c] > sizes[best] * fraction - shares[best])) {
          best = c;
        }
      }
      shares[best]++;
    }
    for (; remaining < 0; remaining++) {
      int best = -1;
      for (int c = 0; c < sizes.length; c++) {
        if (shares[c] > 0
            && (best < 0
                || sizes[c] * fraction - shares[c] < sizes[best] * fraction - shares[best])) {
          best = c;
        }
      }
      shares[best]--;
    }
    return shares;
  }

  private static void cut(int[] order, int trainCount, int devCount, int[][] parts, int[] counts) {
    for (int i = 0; i < order.length; i++) {
      int p = i < trainCount ? 0 : i < trainCount + devCount ? 1 : 2;
      parts[p][counts[p]++] = order[i];
    }
  }
}
