package dev.presize.workloads;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JSON parse-and-transform (Jackson): generates an orders document of {@code size} orders, parses it into a
 * tree, prices every order, groups revenue by customer and region, and writes an enriched document of the orders
 * worth keeping.
 */
public final class JsonTransformFunction implements PresizeFunction {
  static final String NAME = "json-transform";
  static final String[] REGIONS = {"eu-west", "eu-north", "us-east", "us-west", "ap-south", "sa-east"};
  static final int MAX_SIZE = 2_000_000;

  @Override
  public String invoke(String requestJson) throws IOException {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    byte[] document = generate(request.intSize(), request.seed());
    JsonNode root = Json.MAPPER.readTree(document);

    Map<String, long[]> byCustomer = new TreeMap<>();
    Map<String, Long> byRegion = new TreeMap<>();
    ArrayNode kept = Json.MAPPER.createArrayNode();
    long items = 0;
    for (JsonNode order : root.get("orders")) {
      long totalCents = 0;
      ArrayNode bigItems = Json.MAPPER.createArrayNode();
      for (JsonNode item : order.get("items")) {
        long line = item.get("qty").longValue() * item.get("priceCents").longValue();
        totalCents += line;
        items++;
        if (item.get("qty").intValue() >= 2) {
          bigItems.add(item);
        }
      }
      String customer = order.get("customer").textValue();
      long[] agg = byCustomer.computeIfAbsent(customer, c -> new long[2]);
      agg[0]++;
      agg[1] += totalCents;
      byRegion.merge(order.get("region").textValue(), totalCents, Long::sum);
      if (totalCents >= 10_000 && !bigItems.isEmpty()) {
        ObjectNode out = kept.addObject();
        out.put("id", order.get("id").longValue());
        out.put("customer", customer);
        out.put("totalCents", totalCents);
        out.set("items", bigItems);
      }
    }
    ObjectNode transformed = Json.MAPPER.createObjectNode();
    transformed.set("orders", kept);
    byte[] output = Json.MAPPER.writeValueAsBytes(transformed);

    List<Map.Entry<String, long[]>> customers = new ArrayList<>(byCustomer.entrySet());
    customers.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[1])
        .thenComparing(Map.Entry::getKey));
    ObjectNode response = Json.response(NAME, request);
    response.put("inputBytes", document.length);
    response.put("orders", root.get("orders").size());
    response.put("items", items);
    response.put("customers", byCustomer.size());
    ObjectNode regions = response.putObject("revenueCentsByRegion");
    byRegion.forEach(regions::put);
    ArrayNode top = response.putArray("topCustomers");
    for (Map.Entry<String, long[]> e : customers.subList(0, Math.min(5, customers.size()))) {
      top.addObject().put("customer", e.getKey()).put("orders", e.getValue()[0]).put("revenueCents", e.getValue()[1]);
    }
    response.put("keptOrders", kept.size());
    response.put("outputBytes", output.length);
    response.put("outputSha256", Json.sha256Hex(output));
    return Json.write(response);
  }

  /** The input document: {@code {"orders":[{"id","customer","region","ts","tags","items":[{"sku","qty","priceCents"}]}]}}. */
  static byte[] generate(int orders, long seed) throws IOException {
    Rng rng = Rng.derived(seed, 21);
    int customers = Math.max(10, orders / 20);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(orders * 256);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("source", "presize-workloads");
      g.writeArrayFieldStart("orders");
      for (int i = 0; i < orders; i++) {
        g.writeStartObject();
        g.writeNumberField("id", 100_000L + i);
        g.writeStringField("customer", "customer-" + rng.nextSkewed(customers));
        g.writeStringField("region", REGIONS[rng.nextInt(REGIONS.length)]);
        g.writeNumberField("ts", 1_700_000_000_000L + i * 1_000L + rng.nextInt(1000));
        g.writeArrayFieldStart("tags");
        int tags = rng.nextInt(3);
        for (int t = 0; t < tags; t++) {
          g.writeString("tag-" + rng.nextInt(50));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("items");
        int n = 1 + rng.nextInt(6);
        for (int k = 0; k < n; k++) {
          g.writeStartObject();
          g.writeStringField("sku", "sku-" + rng.nextSkewed(5000));
          g.writeNumberField("qty", 1 + rng.nextInt(5));
          g.writeNumberField("priceCents", 99 + rng.nextInt(20_000));
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return bytes.toByteArray();
  }
}
