package dev.presize.trainer.input;

import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A format of input traces the trainer reads, as named on the command line ({@code --format}): our own recordings,
 * the Bitbrains CSVs or the Google 2019 task CSVs.
 */
public enum TraceFormat {
  /** Our traces: a corpus directory (with {@code corpus.json}), resampled to the given step (default 100 ms). */
  PRESIZE(Duration.ofMillis(100)),
  /** Bitbrains {@code <n>.csv.gz} files, 5-minute steps. */
  BITBRAINS(BitbrainsReader.STEP),
  /** Google cluster-data 2019 task {@code *.csv.gz} files, 5-minute steps. */
  GOOGLE(GoogleTaskReader.STEP);

  private final Duration defaultStep;

  TraceFormat(Duration defaultStep) {
    this.defaultStep = defaultStep;
  }

  /** The format named {@code name} ({@code presize}, {@code bitbrains}, {@code google}), case-insensitive. */
  public static TraceFormat of(String name) {
    for (TraceFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown trace format '" + name + "'; use one of presize, bitbrains, google");
  }

  /** The lower-case name used on the command line and in model metadata. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The step series of this format have (for {@link #PRESIZE}, the default resampling step). */
  public Duration defaultStep() {
    return defaultStep;
  }

  /**
   * Reads every series under {@code roots}, root after root.
   *
   * @param step the resampling step of {@link #PRESIZE} traces (ignored by the CSV formats, which have 5 minutes)
   * @param limitPerRoot the most series to read from each root (Bitbrains: the lowest-numbered files)
   * @throws NoTracesException naming the root when it holds no series of this format
   * @throws IOException naming the root when it is not a directory, or a file cannot be read
   */
  public List<Series> read(List<Path> roots, Duration step, int limitPerRoot) throws IOException {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("no trace directory given");
    }
    List<Series> out = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        throw new IOException("trace directory " + root + " does not exist or is not a directory");
      }
      List<Series> part = switch (this) {
        case PRESIZE -> {
          if (!Files.isRegularFile(root.resolve(dev.presize.local.corpus.CorpusManifest.FILE))) {
            throw new NoTracesException("no presize traces found in " + root + " (expected a corpus directory with "
                + dev.presize.local.corpus.CorpusManifest.FILE + " and successful runs; presize record-suite or"
                + " presize corpus makes one)");
          }
          yield PresizeTraceReader.readCorpus(root, step);
        }
        case BITBRAINS -> BitbrainsReader.readDirectory(root, limitPerRoot);
        case GOOGLE -> GoogleTaskReader.readDirectory(root);
      };
      if (this != BITBRAINS && part.size() > limitPerRoot) {
        part = part.subList(0, limitPerRoot);
      }
      if (part.isEmpty()) {
        throw new NoTracesException("no " + id() + " traces found in " + root
            + (this == PRESIZE ? " (expected a corpus directory with corpus.json and successful runs)"
                : this == BITBRAINS ? " (expected <number>.csv.gz files)" : " (expected *.csv.gz files)"));
      }
      out.addAll(part);
    }
    return out;
  }

  /** A trace directory that holds no series of the format asked for (the message names it and what was expected). */
  public static final class NoTracesException extends IOException {
    private static final long serialVersionUID = 1L;

    NoTracesException(String message) {
      super(message);
    }
  }

  /**
   * A digest of the input files under {@code roots}: SHA-256 over every regular file in sorted path order, each as
   * its path relative to its root, a NUL, then its bytes; {@code sha256:<hex>}.
   */
  public static String digest(List<Path> roots) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    for (Path root : roots) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(root)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        sha.update(root.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        try (InputStream in = Files.newInputStream(f)) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
          }
        }
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }
}
