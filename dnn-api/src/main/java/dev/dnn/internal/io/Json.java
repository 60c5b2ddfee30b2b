package dev.dnn.internal.io;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.dnn.backend.ActivationKind;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Maxout;
import dev.dnn.nn.Residual;

/**
 * The library's JSON binding of its records (model specs, preprocessing, class names), the form
 * model files store. The Jackson annotations live here as mix-ins rather than on the public
 * records, so that code using the API compiles without Jackson: a layer spec is an object with a
 * {@code "type"} field naming its kind, and enum constants are written by their constant names and
 * read through their {@code named} methods (any registered spelling).
 *
 * <p>Has no mutable state (its Jackson mapper is configured once): its methods may be called from
 * any thread.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(module());

  private Json() {}

  /**
   * The binding as a Jackson module, for a mapper of its own (such as the command line's result
   * files) that holds the library's specs, activations, initializers or losses.
   */
  public static Module module() {
    SimpleModule module = new SimpleModule("dnn");
    module.setMixInAnnotation(LayerSpec.class, LayerSpecMixIn.class);
    module.setMixInAnnotation(ActivationKind.class, ActivationKindMixIn.class);
    module.setMixInAnnotation(Init.class, InitMixIn.class);
    module.setMixInAnnotation(Loss.class, LossMixIn.class);
    return module;
  }

  /**
   * {@code value} as compact JSON.
   *
   * @throws IllegalStateException if it cannot be written, which for the library's own records and
   *     plain collections only a bug would cause
   */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write a " + value.getClass().getName() + " as JSON", e);
    }
  }

  /** The {@code type} that {@code json} describes. */
  public static <T> T read(String json, Class<T> type) throws JsonProcessingException {
    return MAPPER.readValue(json, type);
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Dense.class, name = "dense"),
    @JsonSubTypes.Type(value = Activation.class, name = "activation"),
    @JsonSubTypes.Type(value = Dropout.class, name = "dropout"),
    @JsonSubTypes.Type(value = BatchNorm.class, name = "batchnorm"),
    @JsonSubTypes.Type(value = Maxout.class, name = "maxout"),
    @JsonSubTypes.Type(value = Residual.class, name = "residual")
  })
  private interface LayerSpecMixIn {}

  // A mix-in's static method lends its annotations to the target's method of the same signature.
  private abstract static class ActivationKindMixIn {
    @JsonCreator
    static ActivationKind named(String name) {
      throw new AssertionError("a mix-in is never called");
    }
  }

  private abstract static class InitMixIn {
    @JsonCreator
    static Init named(String name) {
      throw new AssertionError("a mix-in is never called");
    }
  }

  private abstract static class LossMixIn {
    @JsonCreator
    static Loss named(String name) {
      throw new AssertionError("a mix-in is never called");
    }
  }
}
