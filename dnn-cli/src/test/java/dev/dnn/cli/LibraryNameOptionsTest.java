package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** The options that name library values take the library's names, in the spellings of old. */
class LibraryNameOptionsTest {
  private static RunConfig parse(String... args) {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs(args);
    return train.network.toConfig("t");
  }

  @Test
  void everySpellingInUseIsAccepted() {
    assertEquals(ActivationKind.LEAKY_RELU, parse("--activation", "leaky_relu").activation());
    assertEquals(ActivationKind.LEAKY_RELU, parse("--activation", "LEAKY_RELU").activation());
    assertEquals(ActivationKind.LEAKY_RELU, parse("--activation", "leaky-relu").activation());
    assertEquals(Init.GLOROT_UNIFORM, parse("--init", "GLOROT").init());
    assertEquals(Init.LECUN_NORMAL, parse("--init", "lecun").init());
    assertEquals(Init.HE_UNIFORM, parse("--init", "he-uniform").init());
    assertEquals("rmsprop", parse("--optimizer", "RMSPROP").optimizer());
    assertEquals("nesterov", parse("--optimizer", "nesterov").optimizer());
    assertEquals(Init.LECUN_NORMAL, parse("--activation", "selu").init(), "selu suits LeCun");
  }

  @Test
  void unknownNamesAreUsageErrorsListingTheValidNames() {
    DnnCommandTest.Outcome optimizer = DnnCommandTest.run("train", "--optimizer", "lbfgs");
    assertEquals(2, optimizer.status());
    assertTrue(optimizer.err().contains("--optimizer"), optimizer.err());
    assertTrue(
        optimizer.err().contains("unknown optimizer 'lbfgs'; valid names: sgd, momentum,"),
        optimizer.err());

    DnnCommandTest.Outcome init = DnnCommandTest.run("train", "--init", "xavier");
    assertEquals(2, init.status());
    assertTrue(init.err().contains("--init"), init.err());
    assertTrue(init.err().contains("he, he-uniform"), init.err());

    DnnCommandTest.Outcome activation =
        DnnCommandTest.run("transfer", "--activation", "softmaxish");
    assertEquals(2, activation.status());
    assertTrue(activation.err().contains("--activation"), activation.err());
    assertTrue(activation.err().contains("leaky-relu"), activation.err());
  }

  @Test
  void helpListsTheLibrarysNames() {
    String help = DnnCommandTest.run("train", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains(String.join(", ", ActivationKind.names())), help);
    assertTrue(help.contains("sgd, momentum, nesterov, adagrad, rmsprop, adam, nadam"), help);
    assertTrue(help.contains(String.join(", ", Init.names())), help);
  }

  @Test
  void lossNamesAreTheLibrarys() {
    TableOptions.LossName names = new TableOptions.LossName();
    for (String ce : List.of("softmax-ce", "cross-entropy", "ce", " CE ")) {
      assertEquals(Loss.SOFTMAX_CROSS_ENTROPY, names.convert(ce), ce);
    }
    assertEquals(Loss.MEAN_SQUARED_ERROR, names.convert("mse"));
    assertEquals(Loss.SIGMOID_BINARY_CROSS_ENTROPY, names.convert("sigmoid-bce"));
    assertEquals(Loss.SIGMOID_BINARY_CROSS_ENTROPY, names.convert("bce"));
    TypeConversionException e =
        assertThrows(TypeConversionException.class, () -> names.convert("hinge"));
    assertEquals("unknown loss 'hinge'; valid names: softmax-ce, mse, sigmoid-bce", e.getMessage());
  }
}
