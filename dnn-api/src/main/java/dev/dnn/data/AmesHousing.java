package dev.dnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.zip.GZIPInputStream;

/**
 * The Ames, Iowa housing table (De Cock, 2011) bundled in this jar: 2,930 house sales, 74 columns
 * (40 of them text, such as the neighbourhood, the zoning and quality grades) with the sale price
 * in US dollars ({@value #TARGET_COLUMN}, 12,789 to 755,000). It is the MIT-licensed version of the
 * R package modeldata, written by R's {@code write.csv} (a header line, text fields quoted), as
 * {@code scripts/make-ames.sh} makes it from Debian's packages; the licence and the provenance are
 * beside the file ({@code LICENSE}, {@code SOURCE.txt}).
 *
 * <p>{@link CsvReader} reads numeric columns only; the text columns need a reader that encodes
 * them.
 *
 * <p>Holds only constants; {@link #openBundled()} may be called from any thread, each call giving
 * its own reader.
 */
public final class AmesHousing {
  /** The name of the bundled file in messages: its path on the class path. */
  public static final String SOURCE_NAME = "classpath:/dev/dnn/data/ames-housing/ames.csv.gz";

  /** The column of the sale price, the number to predict. */
  public static final String TARGET_COLUMN = "Sale_Price";

  /** The sales (rows after the header) of the bundled table. */
  public static final int ROWS = 2930;

  /** The columns of the bundled table, the target among them. */
  public static final int COLUMNS = 74;

  private static final String RESOURCE = "/dev/dnn/data/ames-housing/ames.csv.gz";

  private AmesHousing() {}

  /**
   * The bundled CSV as text, decoded strictly as UTF-8 (a byte that is not UTF-8 is an error naming
   * its offset). The caller closes it.
   *
   * @throws IOException if the resource is missing from the class path or is not gzip
   */
  public static Reader openBundled() throws IOException {
    InputStream in = AmesHousing.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IOException("resource " + RESOURCE + " is missing from the class path");
    }
    try {
      return new StrictUtf8Reader(new GZIPInputStream(in, 1 << 16));
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }
}
