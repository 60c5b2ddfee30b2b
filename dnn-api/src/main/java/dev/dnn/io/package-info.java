/**
 * Files of tensors: the safetensors format ({@link dev.dnn.io.SafeTensors}), training checkpoints
 * ({@link dev.dnn.io.Checkpoint}) and model files ({@link dev.dnn.io.ModelFile}), each written
 * atomically: a crash midway leaves the previous file. Readers validate a file completely before
 * trusting it and report problems as {@link dev.dnn.io.MalformedFileException}s that name the file
 * and the place.
 */
package dev.dnn.io;
