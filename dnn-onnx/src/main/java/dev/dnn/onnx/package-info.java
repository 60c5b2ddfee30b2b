/**
 * ONNX export of dnn models: {@link dev.dnn.onnx.OnnxExporter} writes a model, with its input
 * scaling and preprocessing, as an ONNX graph that ONNX Runtime and other consumers run on raw
 * inputs.
 */
package dev.dnn.onnx;
