package dev.dnn.cli.run;

/**
 * Weight initialization families offered by the harness, in the variants Keras uses by default:
 * Glorot uniform, He normal, LeCun normal.
 */
public enum InitChoice {
  /** He (Kaiming): variance {@code 2 / fanIn}. */
  HE,
  /** Glorot (Xavier): variance {@code 2 / (fanIn + fanOut)}. */
  GLOROT,
  /** LeCun: variance {@code 1 / fanIn}. */
  LECUN
}
