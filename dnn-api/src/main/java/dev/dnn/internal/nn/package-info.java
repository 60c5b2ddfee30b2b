/**
 * Not API: what {@code dev.dnn.nn} and {@code dev.dnn.train} share, exported to no module. The
 * upload of mini-batches to a backend and the check that a data set fits a model.
 */
package dev.dnn.internal.nn;
