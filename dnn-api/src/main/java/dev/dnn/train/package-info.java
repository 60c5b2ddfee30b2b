/**
 * The training loop: {@link dev.dnn.train.Trainer} with seeded shuffles, early stopping, gradient
 * clipping, listeners, and a {@link dev.dnn.train.History} of every epoch.
 */
package dev.dnn.train;
