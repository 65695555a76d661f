package dev.presize.local.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The index of a corpus directory ({@code corpus.json}): format, host, and every completed run.
 *
 * <p>A run is listed only after its trace is complete and on disk, and the manifest is replaced atomically (temp
 * file, fsync, rename), so after a crash the manifest lists exactly the runs that can be trusted.
 *
 * @param format {@link #FORMAT}
 * @param host the host the runs were recorded on
 * @param runs the completed runs, in recording order
 */
public record CorpusManifest(String format, String host, List<CorpusRun> runs) {

  /** The manifest format this code reads and writes. */
  public static final String FORMAT = "presize-corpus/1";

  /** The manifest's file name in a corpus directory. */
  public static final String FILE = "corpus.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public CorpusManifest {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(host, "host");
    runs = List.copyOf(runs);
  }

  /** An empty manifest for this host. */
  public static CorpusManifest empty(String host) {
    return new CorpusManifest(FORMAT, host, List.of());
  }

  /** The same manifest with {@code run} added (replacing a run with the same id). */
  public CorpusManifest with(CorpusRun run) {
    List<CorpusRun> next = new ArrayList<>(runs);
    next.removeIf(r -> r.id().equals(run.id()));
    next.add(run);
    return new CorpusManifest(format, host, next);
  }

  /** The run with this id, if completed. */
  public Optional<CorpusRun> run(String id) {
    return runs.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /**
   * Reads {@code dir/corpus.json}; empty if there is none.
   *
   * @throws IOException naming the file when it is unreadable, not JSON, or of another format
   */
  public static Optional<CorpusManifest> read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    CorpusManifest m;
    try {
      m = JSON.readValue(bytes, CorpusManifest.class);
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not a corpus manifest: " + e.getOriginalMessage(), e);
    }
    if (!FORMAT.equals(m.format())) {
      throw new IOException(file + " has format '" + m.format() + "'; this Presize reads " + FORMAT);
    }
    return Optional.of(m);
  }

  /** Writes {@code dir/corpus.json} atomically: temp file, fsync, rename, fsync of the directory. */
  public void write(Path dir) throws IOException {
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(this)));
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot replace " + dir.resolve(FILE) + " atomically on this file system", e);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
