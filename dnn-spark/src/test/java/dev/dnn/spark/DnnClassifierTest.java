package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DnnClassifierTest {
  @Test
  void fitsSeparableBlobsAndWritesTheThreeColumns() {
    Dataset<Row> train = TestSpark.blobFrame(600, 3, 5, 1);
    Dataset<Row> test = TestSpark.blobFrame(300, 3, 5, 2);
    DnnClassifier dnn =
        new DnnClassifier()
            .setHidden(16)
            .setEpochs(5)
            .setBatchSize(32)
            .setStepSize(0.01)
            .setNumWorkers(2)
            .setSeed(3);
    DnnClassificationModel model = dnn.fit(train);
    assertEquals(3, model.numClasses());
    assertEquals(5, model.numFeatures());
    assertEquals(5, model.history().epochs());
    List<Row> out =
        model
            .transform(test)
            .select("label", "prediction", "probability", "rawPrediction")
            .collectAsList();
    assertEquals(300, out.size());
    int correct = 0;
    for (Row r : out) {
      Vector p = r.getAs(2);
      Vector raw = r.getAs(3);
      double sum = 0;
      int argmax = 0;
      for (int i = 0; i < 3; i++) {
        sum += p.apply(i);
        // rawPrediction is the natural log of the probability (floats: relative error 2^-24).
        assertEquals(Math.log(p.apply(i)), raw.apply(i), 1e-6 * Math.abs(raw.apply(i)) + 1e-12);
        if (p.apply(i) > p.apply(argmax)) {
          argmax = i;
        }
      }
      // Softmax outputs are floats summing to 1 up to 3 roundings of 2^-24 each.
      assertEquals(1.0, sum, 3 * 0x1p-24 * 3);
      assertEquals(argmax, r.getDouble(1), 0);
      if (r.getDouble(0) == r.getDouble(1)) {
        correct++;
      }
    }
    assertTrue(correct >= 294, "accuracy " + correct + "/300");
  }
}
