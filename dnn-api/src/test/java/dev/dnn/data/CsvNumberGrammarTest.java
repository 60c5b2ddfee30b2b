package dev.dnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written number check is the regular expression it replaced, on every short text. */
class CsvNumberGrammarTest {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final String ALPHABET = "01.+-eEx\u0661";

  @Test
  void agreesWithTheRegularExpressionOnEveryTextUpToFiveCharacters() {
    int accepted = 0;
    int checked = 0;
    char[] text = new char[5];
    for (int length = 0; length <= text.length; length++) {
      int[] digits = new int[length];
      while (true) {
        for (int i = 0; i < length; i++) {
          text[i] = ALPHABET.charAt(digits[i]);
        }
        String s = new String(text, 0, length);
        boolean expected = NUMBER.matcher(s).matches();
        assertEquals(expected, CsvReader.isDecimal(s), "'" + s + "'");
        accepted += expected ? 1 : 0;
        checked++;
        int i = length - 1;
        while (i >= 0 && ++digits[i] == ALPHABET.length()) {
          digits[i--] = 0;
        }
        if (i < 0) {
          break;
        }
      }
    }
    // Every text of 0 to 5 characters was checked, 9^0 + ... + 9^5, numbers and not.
    assertEquals(66_430, checked);
    assertTrue(accepted > 0 && accepted < checked, "accepted " + accepted);
  }
}
