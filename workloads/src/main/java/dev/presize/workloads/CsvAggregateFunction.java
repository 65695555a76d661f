package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.util.Map;
import java.util.TreeMap;

/**
 * A CSV aggregation: generates a sales CSV of {@code size} rows, parses every line, and sums units and revenue
 * per region and product and per month, with min and max unit prices.
 */
public final class CsvAggregateFunction implements PresizeFunction {
  static final String NAME = "csv-aggregate";
  static final String HEADER = "date,region,product,units,unit_price_cents,discount_pct";
  static final int MAX_SIZE = 50_000_000;
  private static final String[] REGIONS = {"north", "south", "east", "west", "central"};

  @Override
  public String invoke(String requestJson) {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    String csv = generate(request.intSize(), request.seed());

    Map<String, long[]> groups = new TreeMap<>(); // rows, units, revenue, min price, max price
    Map<String, Long> byMonth = new TreeMap<>();
    long rows = 0;
    int start = csv.indexOf('\n') + 1;
    String[] fields = new String[6];
    while (start < csv.length()) {
      int end = csv.indexOf('\n', start);
      if (end < 0) {
        end = csv.length();
      }
      int from = start;
      for (int f = 0; f < 6; f++) {
        int comma = f == 5 ? end : csv.indexOf(',', from);
        if (comma < 0 || comma > end) {
          throw new IllegalStateException("generated CSV line has fewer than 6 fields: " + csv.substring(start, end));
        }
        fields[f] = csv.substring(from, comma);
        from = comma + 1;
      }
      long units = Long.parseLong(fields[3]);
      long price = Long.parseLong(fields[4]);
      long revenue = units * price * (100 - Long.parseLong(fields[5])) / 100;
      long[] g = groups.computeIfAbsent(fields[1] + "/" + fields[2],
          k -> new long[] {0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
      g[0]++;
      g[1] += units;
      g[2] += revenue;
      g[3] = Math.min(g[3], price);
      g[4] = Math.max(g[4], price);
      byMonth.merge(fields[0].substring(0, 7), revenue, Long::sum);
      rows++;
      start = end + 1;
    }
    long totalRevenue = 0;
    ObjectNode response = Json.response(NAME, request);
    response.put("csvBytes", csv.length());
    response.put("rows", rows);
    response.put("groups", groups.size());
    ArrayNode top = response.putArray("groupsByRevenue");
    long checksum = 0;
    for (Map.Entry<String, long[]> e : groups.entrySet()) {
      long[] g = e.getValue();
      totalRevenue += g[2];
      checksum = checksum * 31 + Rng.mix(g[0] ^ Rng.mix(g[1] ^ Rng.mix(g[2] ^ Rng.mix(g[3] ^ g[4]))));
    }
    groups.entrySet().stream()
        .sorted((a, b) -> a.getValue()[2] != b.getValue()[2]
            ? Long.compare(b.getValue()[2], a.getValue()[2]) : a.getKey().compareTo(b.getKey()))
        .limit(5)
        .forEach(e -> top.addObject().put("group", e.getKey()).put("rows", e.getValue()[0])
            .put("units", e.getValue()[1]).put("revenueCents", e.getValue()[2])
            .put("minPriceCents", e.getValue()[3]).put("maxPriceCents", e.getValue()[4]));
    ObjectNode months = response.putObject("revenueCentsByMonth");
    byMonth.forEach(months::put);
    response.put("totalRevenueCents", totalRevenue);
    response.put("checksum", Long.toHexString(checksum));
    return Json.write(response);
  }

  /** A header line and {@code rows} data lines. */
  static String generate(int rows, long seed) {
    Rng rng = Rng.derived(seed, 61);
    StringBuilder csv = new StringBuilder(rows * 48).append(HEADER).append('\n');
    for (int i = 0; i < rows; i++) {
      int month = 1 + (int) ((long) i * 12 / rows);
      csv.append("2026-").append(month < 10 ? "0" : "").append(month).append('-')
          .append(10 + rng.nextInt(18)).append(',')
          .append(REGIONS[rng.nextInt(REGIONS.length)]).append(',')
          .append("p").append(rng.nextSkewed(200)).append(',')
          .append(1 + rng.nextSkewed(50)).append(',')
          .append(100 + rng.nextInt(99_900)).append(',')
          .append(rng.nextInt(4) == 0 ? 5 * rng.nextInt(7) : 0).append('\n');
    }
    return csv.toString();
  }
}
