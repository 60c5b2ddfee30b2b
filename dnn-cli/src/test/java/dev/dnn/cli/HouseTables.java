package dev.dnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A newcomer's house table: area m² (10^2), rooms (10^0), lot m² (10^4), a zone (text), a price
 * (10^5, linear in the others) and a price class; and the same rows with the columns reordered,
 * semicolons and an extra id column.
 *
 * @param houses the table as written first
 * @param reordered the same rows, columns in another order
 */
record HouseTables(Path houses, Path reordered) {
  static HouseTables write(Path dir, int rows) throws IOException {
    StringBuilder a = new StringBuilder("area,rooms,lot,zone,price,price_class\n");
    StringBuilder b = new StringBuilder("zone;price_class;lot;id;price;rooms;area\n");
    long state = 99;
    String[] zones = {"north", "south", "centre"};
    for (int i = 0; i < rows; i++) {
      state = state * 6364136223846793005L + 1442695040888963407L;
      double area = 40 + ((state >>> 11) % 1600) / 10.0;
      state = state * 6364136223846793005L + 1442695040888963407L;
      int rooms = 1 + (int) ((state >>> 11) % 5);
      state = state * 6364136223846793005L + 1442695040888963407L;
      double lot = 1000 + (state >>> 11) % 30000;
      String zone = zones[(int) ((state >>> 20) % 3)];
      double price = 1500 * area + 8000 * rooms + 2 * lot + (zone.equals("centre") ? 90000 : 0);
      String cls = price < 200000 ? "cheap" : price < 300000 ? "average" : "expensive";
      a.append(
          String.format(
              Locale.ROOT, "%.1f,%d,%.0f,%s,%.0f,%s%n", area, rooms, lot, zone, price, cls));
      b.append(
          String.format(
              Locale.ROOT, "%s;%s;%.0f;h%d;%.0f;%d;%.1f%n", zone, cls, lot, i, price, rooms, area));
    }
    return new HouseTables(
        Files.writeString(dir.resolve("houses.csv"), a),
        Files.writeString(dir.resolve("reordered.csv"), b));
  }
}
