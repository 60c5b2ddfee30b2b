package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.cpu.CpuBackend;
import dev.dnn.io.ModelFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassNamesTest {
  private static final String[] ANIMALS = {"owl", "cat", "dog"};

  @TempDir Path dir;

  private static DnnClassifier small() {
    return new DnnClassifier()
        .setHidden(8)
        .setEpochs(4)
        .setBatchSize(32)
        .setStepSize(0.02)
        .setNumWorkers(2)
        .setSeed(5);
  }

  /** Blobs whose label is a name; the names' frequencies differ, so the indexer reorders them. */
  private static Dataset<Row> namedBlobs() {
    List<Row> rows = new ArrayList<>();
    for (Row r : TestSpark.blobs(300, 3, 4, 8)) {
      int label = (int) r.getDouble(1);
      rows.add(RowFactory.create(r.get(0), ANIMALS[label]));
      if (label == 2) {
        rows.add(RowFactory.create(r.get(0), ANIMALS[label])); // dog: most frequent, index 0
      }
    }
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("features", SQLDataTypes.VectorType(), true, Metadata.empty()),
              new StructField("animal", DataTypes.StringType, true, Metadata.empty())
            });
    return TestSpark.session().createDataFrame(rows, schema);
  }

  private static float[][] floats(List<Row> rows) {
    float[][] x = new float[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      double[] d = ((Vector) rows.get(i).get(0)).toArray();
      x[i] = new float[d.length];
      for (int j = 0; j < d.length; j++) {
        x[i][j] = (float) d[j];
      }
    }
    return x;
  }

  @Test
  void aStringIndexedLabelGivesTheModelFileTheIndexersClassNames() throws Exception {
    Dataset<Row> named = namedBlobs();
    StringIndexerModel indexer =
        new StringIndexer().setInputCol("animal").setOutputCol("label").fit(named);
    List<String> labels = Arrays.asList(indexer.labelsArray()[0]);
    assertEquals(List.of("dog", "cat", "owl"), labels);
    Dataset<Row> indexed = indexer.transform(named);
    DnnClassificationModel model = small().fit(indexed);

    try (Backend backend = new CpuBackend(1);
        ModelFile.Loaded loaded = ModelBytes.load(model.modelFile(), backend)) {
      assertEquals(labels, loaded.model().classNames());
      assertEquals(labels, loaded.classes());
      // dnn's own predictClassNames answers in the animals' names, as Spark's index predicts.
      List<Row> rows = indexed.select("features", "animal").collectAsList();
      List<String> predicted = loaded.model().predictClassNames(floats(rows));
      double[] sparkIndex =
          model.transform(indexed).select("prediction").collectAsList().stream()
              .mapToDouble(r -> r.getDouble(0))
              .toArray();
      int correct = 0;
      for (int i = 0; i < rows.size(); i++) {
        assertEquals(labels.get((int) sparkIndex[i]), predicted.get(i), "row " + i);
        if (predicted.get(i).equals(rows.get(i).getString(1))) {
          correct++;
        }
      }
      assertTrue(correct >= 0.98 * rows.size(), correct + "/" + rows.size());
    }

    // The saved directory's model.safetensors, the file `dnn evaluate` reads, names them too.
    String path = dir.resolve("named").toString();
    model.write().overwrite().save(path);
    try (Backend backend = new CpuBackend(1);
        ModelFile.Loaded saved =
            ModelFile.load(dir.resolve("named").resolve(ModelPersistence.MODEL_FILE), backend)) {
      assertEquals(labels, saved.model().classNames());
    }
  }

  @Test
  void withoutMetadataTheModelHasNoNamesAndAnswersWithClassNumbers() {
    DnnClassificationModel model = small().fit(TestSpark.blobFrame(120, 3, 4, 1));
    try (Backend backend = new CpuBackend(1);
        ModelFile.Loaded loaded = ModelBytes.load(model.modelFile(), backend)) {
      assertEquals(List.of(), loaded.model().classNames());
      List<String> predicted =
          loaded.model().predictClassNames(new float[][] {{8, 0, 0, 8}, {0, 8, 0, 0}});
      assertEquals(List.of("0", "1"), predicted);
    }
  }

  @Test
  void namesOnlyWhenTheMetadataNamesEveryClass() {
    Dataset<Row> blobs = TestSpark.blobFrame(120, 3, 4, 2);
    // Four classes declared, named, though only three occur: the model gets four outputs and names.
    Metadata four =
        NominalAttribute.defaultAttr()
            .withName("label")
            .withValues(new String[] {"a", "b", "c", "d"})
            .toMetadata();
    DnnClassificationModel named =
        small().fit(blobs.withColumn("label", functions.col("label").as("label", four)));
    assertEquals(4, named.numClasses());
    // A count without names: four outputs, no names.
    Metadata counted =
        NominalAttribute.defaultAttr().withName("label").withNumValues(4).toMetadata();
    DnnClassificationModel unnamed =
        small().fit(blobs.withColumn("label", functions.col("label").as("label", counted)));
    assertEquals(4, unnamed.numClasses());
    try (Backend backend = new CpuBackend(1);
        ModelFile.Loaded a = ModelBytes.load(named.modelFile(), backend);
        ModelFile.Loaded b = ModelBytes.load(unnamed.modelFile(), backend)) {
      assertEquals(List.of("a", "b", "c", "d"), a.model().classNames());
      assertEquals(List.of(), b.model().classNames());
    }
  }
}
