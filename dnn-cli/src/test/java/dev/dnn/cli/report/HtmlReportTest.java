package dev.dnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.cli.run.ExperimentResults;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  private static final Pattern IMAGE = Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"");

  @Test
  void embedsEveryPlotAsADecodablePng() throws IOException {
    String html = HtmlReport.render(SyntheticResults.twoBackends());
    List<BufferedImage> images = images(html);
    // Time bars (two backends), loss and accuracy per configuration, gradient norms per config.
    assertEquals(1 + 2 * 2 + 2, images.size());
    for (BufferedImage image : images) {
      assertEquals(Charts.WIDTH, image.getWidth());
      assertEquals(Charts.HEIGHT, image.getHeight());
    }
    assertFalse(html.contains("src=\"http"), "the report must not load anything");
  }

  @Test
  void showsTheRealNumbers() {
    String html = HtmlReport.render(SyntheticResults.twoBackends());
    for (String expected :
        new String[] {"87.50%", "81.25%", "80.00%", "93.75%", "20.00 s", "5.00 s", "4.00x"}) {
      assertTrue(html.contains(expected), "report lacks " + expected);
    }
    // Gradient ratio of the tanh run: first layer 1e-4 against the last layer's 1.
    assertTrue(html.contains("<td class=\"num\">1.000e-04</td>"), "report lacks the tanh ratio");
  }

  @Test
  void escapesTextAndOmitsTimeBarsForOneBackend() {
    String twoBackends = HtmlReport.render(SyntheticResults.twoBackends());
    assertTrue(twoBackends.contains("Synthetic &lt;experiment&gt;"));
    assertFalse(twoBackends.contains("<experiment>"));
    String oneBackend = HtmlReport.render(SyntheticResults.oneBackend());
    assertFalse(oneBackend.contains("Training time per backend"));
    assertEquals(2 * 2 + 2, images(oneBackend).size());
  }

  @Test
  void writesAllThreeFilesAndTheJsonReadsBack(@TempDir Path dir) throws IOException {
    ExperimentResults results = SyntheticResults.twoBackends();
    List<Path> files = ExperimentFiles.write(results, dir.resolve("nested"));
    assertEquals(3, files.size());
    for (Path file : files) {
      assertTrue(Files.size(file) > 0, file + " is empty");
    }
    ExperimentResults back =
        ResultsJson.read(
            dir.resolve("nested").resolve(ExperimentFiles.JSON), ExperimentResults.class);
    assertEquals(results, back);
  }

  private static List<BufferedImage> images(String html) {
    List<BufferedImage> images = new ArrayList<>();
    Matcher m = IMAGE.matcher(html);
    while (m.find()) {
      try {
        BufferedImage image =
            ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        assertNotNull(image, "not a PNG");
        images.add(image);
      } catch (IOException e) {
        throw new AssertionError("undecodable image", e);
      }
    }
    return images;
  }
}
