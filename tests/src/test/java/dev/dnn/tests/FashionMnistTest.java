package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convergence on real data: the bundled Fashion-MNIST test split (10,000 images), 8,000 for
 * training and the last 2,000 held out. A 784-128-10 ReLU network with Adam reaches well over 80%
 * held-out accuracy in a few epochs (a linear model gets about 80% with all 60,000 images).
 */
class FashionMnistTest {
  private static final String DIR = "/dev/dnn/data/fashion-mnist/";

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void aSmallNetworkLearnsFashionMnist(Backend backend) throws IOException {
    DataSet all = load();
    assertEquals(10_000, all.size());
    int[] first = range(0, 8000);
    int[] last = range(8000, 10_000);
    DataSet train = all.select(first);
    DataSet heldOut = all.select(last);
    try (Model model =
        Model.sequential(
                Dense.of(784, 128).init(Init.HE_NORMAL), Activation.RELU, Dense.of(128, 10))
            .on(backend, 1)) {
      History history =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(1e-3))
              .batchSize(64)
              .epochs(6)
              .seed(1)
              .build()
              .fit(model, train, heldOut);
      double accuracy = model.evaluate(heldOut).accuracy();
      assertTrue(accuracy >= 0.80, "held-out accuracy " + accuracy + ", history " + history);
    }
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  /** A minimal reader of the gzip-compressed IDX files, scaling pixels to [0, 1]. */
  static DataSet load() throws IOException {
    float[] pixels;
    int features;
    try (DataInputStream in = open("t10k-images-idx3-ubyte.gz")) {
      assertEquals(2051, in.readInt(), "image file magic");
      int n = in.readInt();
      features = in.readInt() * in.readInt();
      byte[] raw = new byte[n * features];
      in.readFully(raw);
      pixels = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        pixels[i] = (raw[i] & 0xFF) / 255f;
      }
    }
    int[] labels;
    try (DataInputStream in = open("t10k-labels-idx1-ubyte.gz")) {
      assertEquals(2049, in.readInt(), "label file magic");
      byte[] raw = new byte[in.readInt()];
      in.readFully(raw);
      labels = new int[raw.length];
      for (int i = 0; i < raw.length; i++) {
        labels[i] = raw[i];
      }
    }
    return DataSet.classification(pixels, features, labels, 10);
  }

  private static DataInputStream open(String name) throws IOException {
    InputStream resource = FashionMnistTest.class.getResourceAsStream(DIR + name);
    if (resource == null) {
      throw new IOException("missing resource " + DIR + name);
    }
    return new DataInputStream(new GZIPInputStream(resource));
  }
}
