package dev.dnn.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * ML persistence of the dnn models: Spark's {@code metadata} (the params, as every Spark stage
 * writes them) and {@code model.safetensors}, the dnn model file as it is.
 */
final class ModelPersistence {
  /** The model file's name inside a saved model's directory. */
  static final String MODEL_FILE = "model.safetensors";

  private ModelPersistence() {}

  /** Writes a model's params and its model file. */
  static final class Writer extends MLWriter {
    private final Params instance;
    private final byte[] modelFile;

    Writer(Params instance, byte[] modelFile) {
      this.instance = instance;
      this.modelFile = modelFile;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
      try {
        HadoopFiles.write(path + "/" + MODEL_FILE, modelFile, sc().hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + path + "/" + MODEL_FILE, e);
      }
    }
  }

  /** Reads what {@link Writer} wrote. */
  static final class Reader<T extends Params> extends MLReader<T> {
    private final Class<T> type;
    private final BiFunction<String, byte[], T> create;

    Reader(Class<T> type, BiFunction<String, byte[], T> create) {
      this.type = type;
      this.create = create;
    }

    @Override
    public T load(String path) {
      DefaultParamsReader.Metadata metadata =
          DefaultParamsReader.loadMetadata(path, sparkSession(), type.getName());
      byte[] bytes;
      try {
        bytes = HadoopFiles.read(path + "/" + MODEL_FILE, sc().hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path + "/" + MODEL_FILE, e);
      }
      T model = create.apply(metadata.uid(), bytes);
      metadata.getAndSetParams(model, metadata.getAndSetParams$default$2());
      return model;
    }
  }
}
