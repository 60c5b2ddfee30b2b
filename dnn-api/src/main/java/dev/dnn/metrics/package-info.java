/** Measures of a trained model beyond its loss: the confusion matrix and the scores it gives. */
package dev.dnn.metrics;
