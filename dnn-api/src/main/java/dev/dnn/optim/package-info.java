/**
 * Optimizers (SGD, momentum and Nesterov, AdaGrad, RMSProp, Adam and AdamW, Nadam) over the fused
 * update kernels, with L2 penalty, decoupled weight decay, checkpointable state and learning-rate
 * schedules.
 */
package dev.dnn.optim;
