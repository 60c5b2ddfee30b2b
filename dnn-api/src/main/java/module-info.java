/**
 * The dnn library: model specs and layers ({@code dev.dnn.nn}), training ({@code dev.dnn.train}),
 * data sets, losses, optimizers, initializers, metrics and model files, and the backend SPI ({@code
 * dev.dnn.backend}) that the compute backends implement.
 *
 * <p>The {@code dev.dnn.internal.*} packages are shared by the library's own modules and exported
 * to no one else. Jackson binds the JSON of model files and Apache Commons CSV parses CSV records;
 * they are dependencies of this module but no part of its API, so code using the library does not
 * need them to compile.
 *
 * @uses dev.dnn.backend.BackendProvider the compute backends, found by {@link
 *     dev.dnn.backend.Backends}
 */
// The modules the internal packages are exported to are built after this one; javac, compiling
// this one alone, warns that it cannot find them.
@SuppressWarnings("module")
module dev.dnn.api {
  requires com.fasterxml.jackson.databind;
  requires org.apache.commons.csv;
  requires org.slf4j;

  exports dev.dnn.backend;
  exports dev.dnn.data;
  exports dev.dnn.init;
  exports dev.dnn.io;
  exports dev.dnn.loss;
  exports dev.dnn.metrics;
  exports dev.dnn.names;
  exports dev.dnn.nn;
  exports dev.dnn.optim;
  exports dev.dnn.random;
  exports dev.dnn.tensor;
  exports dev.dnn.train;
  exports dev.dnn.internal.io to
      dev.dnn.onnx;

  // No opens: Jackson binds the exported records through their public constructors and accessors,
  // and reads the annotations of the mix-ins in dev.dnn.internal.io, which needs no access.
  uses dev.dnn.backend.BackendProvider;
}
