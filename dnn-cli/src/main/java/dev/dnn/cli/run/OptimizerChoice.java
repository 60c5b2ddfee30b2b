package dev.dnn.cli.run;

/** The optimizers the harness offers; each uses the library's default hyper-parameters. */
public enum OptimizerChoice {
  /** Plain stochastic gradient descent. */
  SGD,
  /** SGD with momentum 0.9. */
  MOMENTUM,
  /** SGD with Nesterov momentum 0.9. */
  NESTEROV,
  /** AdaGrad. */
  ADAGRAD,
  /** RMSProp (rho 0.9). */
  RMSPROP,
  /** Adam (beta1 0.9, beta2 0.999). */
  ADAM,
  /** Nadam (Adam with Nesterov momentum). */
  NADAM
}
