package dev.dnn.bench.run;

/** Weight initialization families (normal variants) offered by the harness. */
public enum InitChoice {
  /** He (Kaiming): variance {@code 2 / fanIn}. */
  HE,
  /** Glorot (Xavier): variance {@code 2 / (fanIn + fanOut)}. */
  GLOROT,
  /** LeCun: variance {@code 1 / fanIn}. */
  LECUN
}
