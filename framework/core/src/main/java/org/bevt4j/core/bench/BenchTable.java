package org.bevt4j.core.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Formats {@link BenchRecord}s as a fixed-width text table: the core columns, then one column per
 * extra key (union over all records, first-seen order). Unknown values print as {@code -}.
 */
public final class BenchTable {
  private BenchTable() {}

  /** The table, one line per record after a header and a rule, each line ending in a newline. */
  public static String format(List<BenchRecord> records) {
    Set<String> extraKeys = new LinkedHashSet<>();
    records.forEach(r -> extraKeys.addAll(r.extras().keySet()));
    List<String> header = new ArrayList<>(List.of(
        "name", "step ms", "GFLOP/step", "GFLOP/s", "matmul GFLOP/s", "ratio"));
    header.addAll(extraKeys);
    List<List<String>> rows = new ArrayList<>();
    for (BenchRecord r : records) {
      List<String> row = new ArrayList<>(List.of(r.name(), number(r.stepMs()),
          number(r.gflopPerStep()), number(r.achievedGflops()), number(r.matmulGflops()),
          number(r.ratio())));
      for (String k : extraKeys) {
        Double v = r.extras().get(k);
        row.add(v == null ? "-" : number(v));
      }
      rows.add(row);
    }
    int[] width = new int[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width);
    int total = 0;
    for (int w : width) {
      total += w;
    }
    sb.append("-".repeat(total + 2 * (width.length - 1))).append('\n');
    rows.forEach(r -> line(sb, r, width));
    return sb.toString();
  }

  /**
   * A number with 4 significant digits for small values and no exponent: {@code 0.01234},
   * {@code 1.234}, {@code 12.34}, {@code 123.4}, {@code 1234}; {@code -} when not finite.
   */
  public static String number(double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a >= 1000 || a == 0) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    int decimals = Math.max(0, 3 - (int) Math.floor(Math.log10(a)));
    return String.format(Locale.ROOT, "%." + Math.min(decimals, 8) + "f", v);
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      sb.append(c == 0 ? cell + pad : pad + cell); // name left-aligned, numbers right-aligned
      if (c < cells.size() - 1) {
        sb.append("  ");
      }
    }
    sb.append('\n');
  }
}
