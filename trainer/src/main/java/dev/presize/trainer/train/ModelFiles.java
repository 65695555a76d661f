package dev.presize.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.core.model.ModelBundle;
import dev.presize.core.registry.ModelChecksums;
import dev.presize.core.registry.RegistryException;
import dev.presize.trainer.features.FeatureSchema;
import dev.presize.trainer.features.Target;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The writer and checker of {@code presize-model/1} directories ({@code docs/model-format.md}): {@code metadata.json},
 * one XGBoost JSON model per target and {@code SHA256SUMS}, built under a temporary name and renamed into place.
 */
public final class ModelFiles {

  /** The format id in {@code metadata.json}. */
  public static final String FORMAT = "presize-model/1";
  /** The metadata file. */
  public static final String METADATA = "metadata.json";
  /** The checksum file. */
  public static final String SUMS = "SHA256SUMS";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelFiles() {
  }

  /**
   * Fails now, before a long training, when {@link #write} would refuse {@code dir}: it exists and is not an empty
   * directory.
   */
  public static void checkWritable(Path dir) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(target)) {
        if (s.iterator().hasNext()) {
          throw new FileAlreadyExistsException(target.toString(), null,
              "the model directory exists and is not empty; choose a new --out or remove it");
        }
      }
    } else if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory; choose a new --out");
    }
  }

  /**
   * Writes {@code model} as the directory {@code dir}, which must not exist or be empty: every file is written and
   * fsynced in a sibling temporary directory, then {@code SHA256SUMS}, then the directory is renamed to {@code dir}.
   * A crash leaves either no {@code dir} or a complete one.
   */
  public static void write(TrainedModel model, Path dir) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    checkWritable(target);
    if (Files.exists(target)) {
      Files.delete(target);
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    try {
      Map<String, byte[]> files = new TreeMap<>();
      for (TargetModel t : model.targets().values()) {
        files.put(t.key() + ".json", t.modelJson());
      }
      files.put(METADATA, JSON.writeValueAsBytes(metadata(model)));
      Map<String, String> sums = new TreeMap<>();
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        writeSynced(tmp.resolve(f.getKey()), f.getValue());
        sums.put(f.getKey(), ModelChecksums.sha256(f.getValue()));
      }
      writeSynced(tmp.resolve(SUMS), ModelChecksums.format(sums).getBytes(StandardCharsets.US_ASCII));
      fsyncDirectory(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename " + tmp + " to " + target + " atomically (different file systems?)", e);
      }
      fsyncDirectory(parent);
    } finally {
      if (Files.exists(tmp)) {
        deleteTree(tmp);
      }
    }
  }

  /** The metadata object of {@code model}, as written to {@code metadata.json}. */
  static ObjectNode metadata(TrainedModel model) {
    TrainingOptions o = model.options();
    ObjectNode m = JSON.createObjectNode();
    m.put("format", FORMAT);
    m.put("name", o.name());
    m.put("createdAt", model.createdAt().toString());
    ObjectNode schema = m.putObject("featureSchema");
    schema.put("id", model.schema().id());
    ArrayNode names = schema.putArray("names");
    model.schema().names().forEach(names::add);
    ArrayNode qs = m.putArray("quantiles");
    o.quantiles().forEach(qs::add);
    m.put("stepMillis", model.step().toMillis());
    m.put("horizonSteps", o.horizonSteps());
    ObjectNode targets = m.putObject("targets");
    for (TargetModel t : model.targets().values()) {
      ObjectNode n = targets.putObject(t.key());
      n.put("target", t.target().name());
      n.put("resource", t.target().resource().name());
      n.put("unit", switch (t.target().resource()) {
        case MEMORY -> "bytes";
        case CPU -> "cores";
        default -> "bytes/s";
      });
      n.put("model", t.key() + ".json");
      ObjectNode tr = n.putObject("transform");
      tr.put("kind", t.transform().kind());
      tr.put("reference", t.transform().reference());
      tr.put("offset", t.transform().offset());
      ObjectNode cal = n.putObject("calibration");
      cal.put("allocationQuantile", o.allocationQuantile());
      cal.put("rule", t.calibration().rule());
      cal.put("parameter", t.calibration().parameter());
      cal.put("targetUnderProvisioned", o.targetUnderProvisioned().get(t.target()));
      cal.put("validationUnderProvisioned", t.calibration().underProvisioned());
      cal.put("validationSlack", t.calibration().slack());
      ArrayNode ops = n.putArray("operatingPoints");
      t.operatingPoints().forEach((u, c) -> {
        ObjectNode op = ops.addObject();
        op.put("targetUnderProvisioned", u);
        op.put("rule", c.rule());
        op.put("parameter", c.parameter());
        op.put("validationUnderProvisioned", c.underProvisioned());
        op.put("validationSlack", c.slack());
      });
      ObjectNode spread = n.putObject("quantileSpread");
      t.quantileSpread().forEach((q, k) -> spread.put(Double.toString(q), k));
      n.put("rounds", t.rounds());
      n.put("bestRound", t.bestRound());
      n.put("trainRows", t.trainRows());
      ObjectNode v = n.putObject("validation");
      v.put("rows", t.validationRows());
      ObjectNode pin = v.putObject("pinball");
      t.pinball().forEach((q, x) -> pin.put(Double.toString(q), x));
      ObjectNode cov = v.putObject("coverage");
      t.coverage().forEach((q, x) -> cov.put(Double.toString(q), x));
      ObjectNode imp = n.putObject("featureImportance");
      t.featureImportance().forEach(imp::put);
    }
    ObjectNode tr = m.putObject("training");
    TrainedModel.Provenance p = model.provenance();
    tr.put("format", p.format());
    ArrayNode traces = tr.putArray("traces");
    p.traces().forEach(traces::add);
    tr.put("dataDigest", p.dataDigest());
    ObjectNode rows = tr.putObject("rows");
    rows.put("train", p.trainRows());
    rows.put("validation", p.validationRows());
    rows.put("test", p.testRows());
    ArrayNode test = tr.putArray("testSeries");
    p.testSeries().forEach(test::add);
    ObjectNode splits = tr.putObject("splits");
    splits.put("testSeriesFraction", o.splits().testSeriesFraction());
    splits.put("validationTimeFraction", o.splits().validationTimeFraction());
    splits.put("seed", o.splits().seed());
    splits.put("validationBySeries", o.splits().validationBySeries());
    ObjectNode params = tr.putObject("params");
    o.xgboostParams().forEach((k, x) -> params.put(k, String.valueOf(x)));
    params.put("max_rounds", Integer.toString(o.maxRounds()));
    params.put("early_stopping_rounds", Integer.toString(o.earlyStoppingRounds()));
    params.put("stride_steps", Integer.toString(o.strideSteps()));
    tr.put("seconds", p.trainingSeconds());
    return m;
  }

  /**
   * Checks {@code dir} against its {@code SHA256SUMS} and returns its parsed {@code metadata.json}.
   *
   * @throws ModelFormatException naming the file: no sums, a listed file missing or different, an unlisted file,
   *     a metadata file that is not {@code presize-model/1}
   */
  public static JsonNode verify(Path dir) throws IOException {
    try {
      // the registry's own state file sits beside a stored version's model files
      ModelChecksums.verify(dir, Set.of(ModelBundle.REGISTRY_STATE));
    } catch (RegistryException e) {
      if (e.problem() == RegistryException.Problem.IO) {
        throw new IOException(e.getMessage(), e);
      }
      throw new ModelFormatException(e.getMessage());
    }
    JsonNode meta;
    try {
      meta = JSON.readTree(dir.resolve(METADATA).toFile());
    } catch (IOException e) {
      throw new ModelFormatException(dir.resolve(METADATA) + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(meta.path("format").asText())) {
      throw new ModelFormatException(dir.resolve(METADATA) + ": format is '" + meta.path("format").asText()
          + "', expected " + FORMAT);
    }
    return meta;
  }

  /** The feature schema id a model directory's metadata names. */
  public static String schemaId(JsonNode metadata) {
    return metadata.path("featureSchema").path("id").asText();
  }

  /** Refuses {@code metadata} unless its schema id is {@code schema}'s, naming both. */
  public static void requireSchema(JsonNode metadata, FeatureSchema schema, Path dir) throws ModelFormatException {
    String id = schemaId(metadata);
    if (!id.equals(schema.id())) {
      throw new ModelFormatException("model " + dir + " was trained on feature schema " + id
          + " but this build computes " + schema.id() + "; retrain the model with this build");
    }
  }

  /** The targets a model's metadata lists. */
  public static List<Target> targets(JsonNode metadata) {
    List<Target> out = new ArrayList<>();
    metadata.path("targets").fields().forEachRemaining(e -> out.add(Target.valueOf(e.getValue().path("target")
        .asText())));
    return out;
  }

  static void writeSynced(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A model directory is incomplete, corrupt or of another format or schema; the message names the file. */
  public static final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
      super(message);
    }

    /** With the exception that said why (a JSON parser's, for a file that is not JSON). */
    public ModelFormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
