/**
 * Not API: file helpers the library's modules share, exported only to {@code dev.dnn.onnx}. Atomic
 * file replacement ({@link dev.dnn.internal.io.AtomicFiles}) and the JSON binding of specs and
 * preprocessing ({@link dev.dnn.internal.io.Json}); the public way to that JSON is {@link
 * dev.dnn.nn.ModelSpec#toJson}.
 */
package dev.dnn.internal.io;
