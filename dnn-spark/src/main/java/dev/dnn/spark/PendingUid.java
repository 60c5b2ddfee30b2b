package dev.dnn.spark;

import org.apache.spark.ml.util.Identifiable;

/**
 * Hands a uid to a stage while its Scala superclasses are being constructed. Spark's shared param
 * traits create their {@code Param}s in the superclass constructors and read {@code uid()} there,
 * before a Java subclass could assign a field; a stage's constructor therefore parks its uid here
 * first and {@code uid()} takes it on the first call. Per thread, so concurrent constructions do
 * not mix.
 */
final class PendingUid {
  /** Marks the private constructor that runs after {@link #park}. */
  static final class Token {
    private Token() {}
  }

  private static final ThreadLocal<String> NEXT = new ThreadLocal<>();
  private static final Token TOKEN = new Token();

  private PendingUid() {}

  /** Parks {@code uid} for the stage about to be constructed on this thread. */
  static Token park(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("a stage's uid must not be empty");
    }
    NEXT.set(uid);
    return TOKEN;
  }

  /** The parked uid (removed), or a fresh random one with {@code prefix} if none is parked. */
  static String take(String prefix) {
    String uid = NEXT.get();
    NEXT.remove();
    return uid != null ? uid : Identifiable.randomUID(prefix);
  }
}
