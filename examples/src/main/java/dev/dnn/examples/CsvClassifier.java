package dev.dnn.examples;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.data.CsvReader;
import dev.dnn.data.DataSet;
import dev.dnn.data.DataSplit;
import dev.dnn.data.Preprocessing;
import dev.dnn.data.Standardizer;
import dev.dnn.init.Init;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Evaluation;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.train.EarlyStopping;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A classifier of a table: reads a CSV with a named label column, standardizes the features with
 * statistics of the training part only, trains with early stopping on the dev part and prints the
 * per-class report of the test part. Without arguments it reads the bundled {@code houses.csv} (600
 * houses, price class 0 cheap, 1 fair, 2 dear).
 *
 * <p>Arguments: {@code [epochs] [file.csv label-column] [model-out]}.
 */
public final class CsvClassifier {
  public static void main(String[] args) throws IOException {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    DataSet table;
    if (args.length > 2) {
      table = CsvReader.labelColumn(args[2]).read(Path.of(args[1]));
    } else {
      try (Reader in =
          new InputStreamReader(
              CsvClassifier.class.getResourceAsStream("/houses.csv"), StandardCharsets.UTF_8)) {
        table = CsvReader.labelColumn("price_class").read(in, "houses.csv");
      }
    }
    DataSplit split = table.split(0.7, 0.15, 42L, true);
    // Scale with the training part's statistics: the model owns the scaling, applies it to every
    // batch it trains on or predicts, and its file stores it, so it always takes raw rows.
    Standardizer scaler = Standardizer.fit(split.train());

    int features = table.featureCount();
    int classes = table.classCount();
    try (Backend backend = Backends.select();
        Model model =
            Model.sequential(
                    Dense.of(features, 32).init(Init.HE_NORMAL),
                    BatchNorm.of(),
                    Activation.RELU,
                    Dense.of(32, 16).init(Init.HE_NORMAL),
                    Activation.RELU,
                    Dense.of(16, classes))
                .on(backend, 7)) {
      model.setPreprocessing(Preprocessing.scaled(scaler.params()));
      Trainer trainer =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(3e-3))
              .batchSize(32)
              .epochs(epochs)
              .seed(7)
              .earlyStopping(EarlyStopping.onDevLoss().patience(20))
              .build();
      History history = trainer.fit(model, split.train(), split.dev());
      Evaluation evaluation = model.evaluate(split.test());
      System.out.printf(
          "Stopped after %d epochs, best epoch %d%n",
          history.epochs().size(), history.bestEpoch() + 1);
      System.out.print(evaluation.confusion().orElseThrow().table(List.of()));
      System.out.printf("Test accuracy %.2f%%%n", 100 * evaluation.accuracy());
      if (args.length > 3) {
        ModelFile.save(model, Path.of(args[3]));
      }
    }
  }
}
