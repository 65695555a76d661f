package dev.presize.local.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.spi.feedback.FeedbackRecord;
import dev.presize.spi.feedback.FeedbackSink;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feedback records appended to a JSON-lines file, one per forecast, in the prediction service's
 * {@code feedback.jsonl} format ({@code docs/api.md}): {@code {"forecastId", "function", "model", "version",
 * "issuedAt", "observedAt", "targets": {"MEMORY_PEAK"|"CPU_MEAN": {"actual", "p50", "p90", "p99"}}}}, memory in
 * bytes and CPU in cores. Buffered; {@link #close} flushes and fsyncs.
 */
public final class FeedbackFile implements FeedbackSink {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Writer out;
  private long records;

  public FeedbackFile(Path file) throws IOException {
    this.file = file;
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Override
  public void accept(FeedbackRecord r) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("forecastId", r.forecastId());
    line.put("function", r.forecast().functionId());
    line.put("model", r.forecast().modelName());
    line.put("version", r.forecast().modelVersion());
    line.put("issuedAt", r.forecast().issuedAt().toString());
    line.put("observedAt", r.observedAt().toString());
    Map<String, Object> targets = new LinkedHashMap<>();
    put(targets, "MEMORY_PEAK", r.observed().get(Resource.MEMORY), r.forecast().memory(), 1);
    put(targets, "CPU_MEAN", r.observed().get(Resource.CPU), r.forecast().cpu(), 1e-3);
    line.put("targets", targets);
    try {
      out.write(JSON.writeValueAsString(line));
      out.write('\n');
      records++;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a map of strings and numbers as JSON", e);
    } catch (IOException e) {
      throw new UncheckedIOException("append feedback to " + file, e);
    }
  }

  private static void put(Map<String, Object> targets, String key, Double actual, Quantiles q, double factor) {
    if (actual == null) {
      return;
    }
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("actual", actual * factor);
    t.put("p50", q.p50() * factor);
    t.put("p90", q.p90() * factor);
    t.put("p99", q.p99() * factor);
    targets.put(key, t);
  }

  /** Records written so far. */
  public long records() {
    return records;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      out.close();
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    } catch (IOException e) {
      System.getLogger(FeedbackFile.class.getName()).log(System.Logger.Level.WARNING,
          "could not flush feedback to " + file + ": " + e.getMessage());
    }
  }
}
