package dev.dnn.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds an ONNX graph node by node: each {@link #node} call adds one operator and returns the name
 * of its output, so that a layer's nodes chain like function calls. Values are float32 with a
 * dynamic first dimension, {@value #BATCH}.
 */
final class OnnxGraph {
  /** The name of the dynamic batch dimension. */
  static final String BATCH = "batch";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int counter;

  OnnxGraph(String name) {
    graph.setName(name);
  }

  /** An attribute of a node. */
  record Attribute(AttributeProto proto) {
    static Attribute of(String name, float value) {
      return new Attribute(
          AttributeProto.newBuilder()
              .setName(name)
              .setType(AttributeProto.AttributeType.FLOAT)
              .setF(value)
              .build());
    }

    static Attribute of(String name, long value) {
      return new Attribute(
          AttributeProto.newBuilder()
              .setName(name)
              .setType(AttributeProto.AttributeType.INT)
              .setI(value)
              .build());
    }

    static Attribute ints(String name, long... values) {
      AttributeProto.Builder b =
          AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
      for (long v : values) {
        b.addInts(v);
      }
      return new Attribute(b.build());
    }
  }

  /** Adds {@code op} over {@code inputs}; returns the name of its single output. */
  String node(String op, String prefix, String[] inputs, Attribute... attributes) {
    String output = prefix + "/" + op + "_" + counter++;
    return node(op, prefix, inputs, output, attributes);
  }

  /** Adds {@code op} over {@code inputs} writing {@code output}; returns {@code output}. */
  String node(String op, String prefix, String[] inputs, String output, Attribute... attributes) {
    NodeProto.Builder n =
        NodeProto.newBuilder().setOpType(op).setName(prefix + "/" + op + "_" + counter++);
    for (String input : inputs) {
      n.addInput(input);
    }
    n.addOutput(output);
    for (Attribute a : attributes) {
      n.addAttribute(a.proto());
    }
    graph.addNode(n);
    return output;
  }

  /** A float32 constant of shape {@code dims}; returns its name. */
  String floats(String name, long[] dims, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT.getNumber())
            .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** An int64 vector constant (a shape); returns its name. */
  String longs(String name, long... values) {
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** Declares a graph input of {@code [batch, width]} float32. */
  void input(String name, int width) {
    graph.addInput(value(name, width));
  }

  /** Declares a graph output of {@code [batch, width]} float32. */
  void output(String name, int width) {
    graph.addOutput(value(name, width));
  }

  private static ValueInfoProto value(String name, int width) {
    TensorShapeProto shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
            .build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
        .build();
  }

  GraphProto build() {
    return graph.build();
  }
}
