/** Training objectives, each one fused backend kernel for loss and gradient. */
package dev.dnn.loss;
