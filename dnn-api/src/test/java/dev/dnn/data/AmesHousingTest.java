package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled Ames table reads as R wrote it: a header and 2,930 records of 74 cells. */
class AmesHousingTest {
  @Test
  void theBundledTableHasEveryRecordWhole() throws IOException {
    try (Reader csv = AmesHousing.openBundled()) {
      CsvRecords records =
          new CsvRecords(
              csv,
              AmesHousing.SOURCE_NAME,
              (char) 0,
              CsvReader.DEFAULT_MAX_LINE_LENGTH,
              CsvReader.DEFAULT_MAX_COLUMNS);
      List<String> header = Arrays.asList(records.next());
      assertEquals(AmesHousing.COLUMNS, header.size());
      assertEquals(List.of("MS_SubClass", "MS_Zoning", "Lot_Frontage"), header.subList(0, 3));
      int target = header.indexOf(AmesHousing.TARGET_COLUMN);
      assertEquals(71, target, header.toString());
      assertEquals(',', records.delimiter());
      boolean[] text = new boolean[header.size()];
      float lowest = Float.MAX_VALUE;
      float highest = 0;
      int rows = 0;
      String firstCell = null;
      for (String[] cells = records.next(); cells != null; cells = records.next()) {
        rows++;
        firstCell = firstCell == null ? cells[0] : firstCell;
        assertEquals(AmesHousing.COLUMNS, cells.length, "record " + rows);
        assertEquals(rows + 1, records.line(), "no record spans lines");
        for (int c = 0; c < cells.length; c++) {
          text[c] |= !CsvReader.isDecimal(cells[c]);
        }
        float price = Float.parseFloat(cells[target]);
        lowest = Math.min(lowest, price);
        highest = Math.max(highest, price);
      }
      assertNull(records.next());
      assertEquals(AmesHousing.ROWS, rows);
      int textColumns = 0;
      for (boolean t : text) {
        textColumns += t ? 1 : 0;
      }
      assertEquals(40, textColumns);
      assertEquals(12_789f, lowest);
      assertEquals(755_000f, highest);
      // R quoted it; the reader hands it out without the quotes (the old reader stopped here).
      assertEquals("One_Story_1946_and_Newer_All_Styles", firstCell);
    }
  }
}
