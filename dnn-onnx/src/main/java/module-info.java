/**
 * Exports dnn models as ONNX graphs ({@link dev.dnn.onnx.OnnxExporter}). The graph is Tribuo's
 * generated protobuf class {@code ai.onnx.proto.OnnxMl.ModelProto}, part of this module's API.
 */
// Tribuo's ONNX classes and protobuf are automatic modules (no descriptor of their own), and this
// module's API returns their types, so it requires them transitively all the same.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.dnn.onnx {
  requires transitive dev.dnn.api;
  requires transitive org.tribuo.util.onnx;
  requires transitive com.google.protobuf;

  exports dev.dnn.onnx;
}
