package dev.dnn.cli.run;

/** The hidden-layer activations the harness offers, with the weight initialization each suits. */
public enum ActivationChoice {
  /** Rectified linear unit; He initialization. */
  RELU(InitChoice.HE),
  /** Leaky ReLU (slope 0.01); He initialization. */
  LEAKY_RELU(InitChoice.HE),
  /** ELU (alpha 1); He initialization. */
  ELU(InitChoice.HE),
  /** SELU; LeCun initialization, as self-normalization requires. */
  SELU(InitChoice.LECUN),
  /** Swish (SiLU); He initialization. */
  SWISH(InitChoice.HE),
  /** Hyperbolic tangent; Glorot initialization. */
  TANH(InitChoice.GLOROT),
  /** Logistic sigmoid; Glorot initialization. */
  SIGMOID(InitChoice.GLOROT);

  private final InitChoice suitedInit;

  ActivationChoice(InitChoice suitedInit) {
    this.suitedInit = suitedInit;
  }

  /** The initialization that keeps activation variance steady through layers of this function. */
  public InitChoice suitedInit() {
    return suitedInit;
  }
}
