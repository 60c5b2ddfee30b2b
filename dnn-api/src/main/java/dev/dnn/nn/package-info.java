/**
 * Layers and models. {@link dev.dnn.nn.LayerSpec} records describe layers ({@link
 * dev.dnn.nn.Dense}, {@link dev.dnn.nn.Activation}, {@link dev.dnn.nn.Dropout}, {@link
 * dev.dnn.nn.BatchNorm}, {@link dev.dnn.nn.Maxout}, {@link dev.dnn.nn.Residual}); a {@link
 * dev.dnn.nn.ModelSpec} lists them and serializes to JSON; {@link dev.dnn.nn.ModelSpec#on} builds a
 * {@link dev.dnn.nn.Model} on a backend, whose layers compute only through the backend's kernels.
 */
package dev.dnn.nn;
