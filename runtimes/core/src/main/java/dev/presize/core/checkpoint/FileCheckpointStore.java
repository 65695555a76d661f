package dev.presize.core.checkpoint;

import dev.presize.spi.checkpoint.CheckpointException;
import dev.presize.spi.checkpoint.CheckpointManifest;
import dev.presize.spi.checkpoint.CheckpointStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A {@link CheckpointStore} on a local filesystem: {@code <root>/<function>/<invocation>/<sequence>/} holds
 * {@code state.bin} and {@code manifest.txt}.
 *
 * <p><b>Atomicity.</b> A checkpoint is written into a hidden temporary directory next to its final place (state
 * while its size and SHA-256 are checked against the manifest, then the manifest with its own checksum), each
 * file is fsynced, the directory is fsynced, renamed atomically to {@code <sequence>} and the parent is fsynced.
 * Directories it creates on the way (root, function, invocation) are made durable in their parents too. A crash
 * leaves either the whole checkpoint or a {@code .tmp-*} directory that every read ignores and a later put of that
 * invocation removes once nothing has written to it for an hour (a younger one may be another process's put under
 * way). <b>Verification.</b> Every read checks the manifest's checksum; {@link #open}
 * checks the state's size and SHA-256 as it is read; {@link #latestValid} reads each candidate whole and falls back
 * to the newest one that verifies, reporting the ones it skipped. <b>Retention.</b> After each put only the newest
 * {@code keepLast} checkpoints of the invocation are kept. Thread-safe (puts of one invocation are serialized).
 */
public final class FileCheckpointStore implements CheckpointStore {

  private static final System.Logger LOG = System.getLogger(FileCheckpointStore.class.getName());
  static final String STATE = "state.bin";
  static final String MANIFEST = "manifest.txt";
  private static final String TMP_PREFIX = ".tmp-";
  /** A {@code .tmp-*} directory untouched this long is a crashed put's, not another process's put under way. */
  static final java.time.Duration STALE_AFTER = java.time.Duration.ofHours(1);

  private final Path root;
  private final int keepLast;

  /**
   * @param root the directory holding every function's checkpoints (created when missing)
   * @param keepLast how many checkpoints to keep per invocation, at least 1
   */
  public FileCheckpointStore(Path root, int keepLast) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be >= 1, was " + keepLast);
    }
    this.keepLast = keepLast;
  }

  /** The store's root directory. */
  public Path root() {
    return root;
  }

  /** The directory of one checkpoint (which need not exist). */
  public Path directory(String functionId, String invocationId, long sequence) {
    return invocationDir(functionId, invocationId).resolve(sequenceName(sequence));
  }

  @Override
  public void put(CheckpointManifest manifest, InputStream state) {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(state, "state");
    Path parent = invocationDir(manifest.functionId(), manifest.invocationId());
    Path target = parent.resolve(sequenceName(manifest.sequence()));
    synchronized (lockFor(parent)) {
      Path tmp = null;
      try {
        createDirectoriesDurably(parent);
        removeStaleTemporaries(parent);
        if (Files.exists(target)) {
          throw new CheckpointException("put", manifest.id(), "a checkpoint with this sequence already exists at "
              + target + "; sequences are never reused");
        }
        tmp = parent.resolve(TMP_PREFIX + sequenceName(manifest.sequence()) + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectory(tmp);
        writeState(manifest, state, tmp.resolve(STATE));
        writeFile(tmp.resolve(MANIFEST), ManifestCodec.encode(manifest));
        fsyncDirectory(tmp);
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          throw new CheckpointException("put", manifest.id(), "the filesystem of " + parent
              + " cannot rename atomically; use a local filesystem for presize.checkpoint.store.root", e);
        }
        tmp = null;
        fsyncDirectory(parent);
        fsyncDirectory(parent.getParent());
      } catch (IOException e) {
        throw new CheckpointException("put", manifest.id(), "writing under " + parent + " failed: " + e, e);
      } finally {
        if (tmp != null) {
          deleteTree(tmp);
        }
      }
      applyRetention(manifest.functionId(), manifest.invocationId());
    }
  }

  @Override
  public Optional<CheckpointManifest> latest(String functionId, String invocationId) {
    Lookup lookup = latestValid(functionId, invocationId);
    for (Skipped s : lookup.skipped()) {
      LOG.log(System.Logger.Level.WARNING, "checkpoint skipped=" + s.directory() + " reason=\"" + s.reason() + "\"");
    }
    return lookup.manifest();
  }

  /**
   * The newest checkpoint of an invocation whose manifest and state both verify (the state is read whole), with
   * every newer one that was skipped and why.
   */
  public Lookup latestValid(String functionId, String invocationId) {
    List<Skipped> skipped = new ArrayList<>();
    List<Path> dirs = sequenceDirs(functionId, invocationId);
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Path dir = dirs.get(i);
      try {
        CheckpointManifest m = readManifest(dir);
        try (InputStream in = open(m)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
        return new Lookup(Optional.of(m), skipped);
      } catch (CheckpointException | IOException | UncheckedIOException e) {
        skipped.add(new Skipped(dir, e.getMessage()));
      }
    }
    return new Lookup(Optional.empty(), skipped);
  }

  /** Every checkpoint of the invocation whose manifest verifies, oldest first (state is verified on open). */
  @Override
  public List<CheckpointManifest> list(String functionId, String invocationId) {
    List<CheckpointManifest> out = new ArrayList<>();
    for (Path dir : sequenceDirs(functionId, invocationId)) {
      try {
        out.add(readManifest(dir));
      } catch (CheckpointException e) {
        LOG.log(System.Logger.Level.WARNING, "checkpoint skipped=" + dir + " reason=\"" + e.getMessage() + "\"");
      }
    }
    return out;
  }

  /**
   * The highest sequence taken in the store (a checkpoint valid or not, or anything else under a sequence's name,
   * which a put could not replace), or 0; a new checkpoint takes the next.
   */
  public long highestSequence(String functionId, String invocationId) {
    Path dir = invocationDir(functionId, invocationId);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return Math.max(0, s.mapToLong(p -> sequenceOf(p.getFileName().toString())).max().orElse(0));
    } catch (IOException e) {
      throw new CheckpointException("list", functionId + "/" + invocationId, "cannot list " + dir + ": " + e, e);
    }
  }

  /** The sequence a name stands for (19 digits, at most {@link Long#MAX_VALUE}), or -1 for any other name. */
  private static long sequenceOf(String name) {
    if (!name.matches("[0-9]{19}")) {
      return -1;
    }
    try {
      return Long.parseLong(name);
    } catch (NumberFormatException e) {
      return -1; // 19 digits above Long.MAX_VALUE: not a name this store writes
    }
  }

  @Override
  public InputStream open(CheckpointManifest manifest) {
    Path file = directory(manifest.functionId(), manifest.invocationId(), manifest.sequence()).resolve(STATE);
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException("open", manifest.id(), "state file " + file + " is missing", e);
    } catch (IOException e) {
      throw new CheckpointException("open", manifest.id(), "cannot read " + file + ": " + e, e);
    }
    return new VerifyingInputStream(in, manifest, file);
  }

  @Override
  public void delete(CheckpointManifest manifest) {
    Path dir = directory(manifest.functionId(), manifest.invocationId(), manifest.sequence());
    Path parent = dir.getParent();
    synchronized (lockFor(parent)) {
      if (Files.exists(dir)) {
        // Rename first so a half-deleted checkpoint is never seen as a sequence directory.
        Path doomed = parent.resolve(TMP_PREFIX + "deleted-" + dir.getFileName() + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
          Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
          return; // deleted concurrently by another process: absent is not an error
        } catch (IOException e) {
          throw new CheckpointException("delete", manifest.id(), "cannot remove " + dir + ": " + e, e);
        }
        deleteTree(doomed);
      }
    }
  }

  private void applyRetention(String functionId, String invocationId) {
    List<Path> dirs = sequenceDirs(functionId, invocationId);
    for (int i = 0; i < dirs.size() - keepLast; i++) {
      Path dir = dirs.get(i);
      long seq = Long.parseLong(dir.getFileName().toString());
      Path parent = dir.getParent();
      Path doomed = parent.resolve(TMP_PREFIX + "deleted-" + dir.getFileName());
      try {
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(doomed);
      } catch (IOException e) {
        // Retention is housekeeping: the new checkpoint is already durable, so a failure here is logged, not thrown.
        LOG.log(System.Logger.Level.WARNING, "checkpoint retention failed function=" + functionId + " invocation="
            + invocationId + " sequence=" + seq + " error=\"" + e + "\"");
      }
    }
  }

  private CheckpointManifest readManifest(Path dir) {
    String id = root.relativize(dir).toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(MANIFEST));
    } catch (NoSuchFileException e) {
      throw new CheckpointException("read manifest", id, "manifest " + dir.resolve(MANIFEST) + " is missing", e);
    } catch (IOException e) {
      throw new CheckpointException("read manifest", id, "cannot read " + dir.resolve(MANIFEST) + ": " + e, e);
    }
    CheckpointManifest m;
    try {
      m = ManifestCodec.decode(bytes);
    } catch (RuntimeException e) {
      throw new CheckpointException("read manifest", id, "corrupt manifest " + dir.resolve(MANIFEST) + ": "
          + e.getMessage(), e);
    }
    Path expected = directory(m.functionId(), m.invocationId(), m.sequence());
    if (!expected.equals(dir)) {
      throw new CheckpointException("read manifest", id, "manifest names " + m.id() + ", which belongs at "
          + expected + ", not " + dir);
    }
    return m;
  }

  private List<Path> sequenceDirs(String functionId, String invocationId) {
    Path dir = invocationDir(functionId, invocationId);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> sequenceOf(p.getFileName().toString()) >= 0 && Files.isDirectory(p))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new CheckpointException("list", functionId + "/" + invocationId, "cannot list " + dir + ": " + e, e);
    }
  }

  private Path invocationDir(String functionId, String invocationId) {
    return root.resolve(CheckpointIds.require("functionId", functionId))
        .resolve(CheckpointIds.require("invocationId", invocationId));
  }

  private static String sequenceName(long sequence) {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
    }
    return String.format("%019d", sequence);
  }

  private static void writeState(CheckpointManifest manifest, InputStream state, Path file) throws IOException {
    MessageDigest sha = ManifestCodec.sha256();
    long written = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = state.read(buf)) > 0) {
        sha.update(buf, 0, n);
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
        written += n;
      }
      ch.force(true);
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    if (written != manifest.stateBytes() || !actual.equals(manifest.stateSha256())) {
      throw new CheckpointException("put", manifest.id(), "state does not match its manifest: manifest says "
          + manifest.stateBytes() + " bytes sha256 " + manifest.stateSha256() + ", the stream had " + written
          + " bytes sha256 " + actual + "; nothing was stored");
    }
  }

  private static void writeFile(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bb = ByteBuffer.wrap(bytes);
      while (bb.hasRemaining()) {
        ch.write(bb);
      }
      ch.force(true);
    }
  }

  /** Makes a directory's entries durable (Linux: fsync on a read-only directory descriptor). */
  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory; there rename durability is the filesystem's business.
      if (System.getProperty("os.name", "").startsWith("Windows")) {
        return;
      }
      throw e;
    }
  }

  /**
   * Removes what puts that crashed left behind: {@code .tmp-*} directories nothing has written to for {@link
   * #STALE_AFTER}. A younger one may be another process's put under way (this store's lock is per process).
   */
  private static void removeStaleTemporaries(Path parent) throws IOException {
    long before = System.currentTimeMillis() - STALE_AFTER.toMillis();
    try (Stream<Path> s = Files.list(parent)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
        if (lastWritten(p) < before) {
          deleteTree(p);
        }
      }
    }
  }

  /** The latest modification time of {@code dir} and what is in it, in ms; now when it cannot be read. */
  private static long lastWritten(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.mapToLong(p -> {
        try {
          return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
          return System.currentTimeMillis(); // vanished or unreadable: not known to be stale
        }
      }).max().orElse(System.currentTimeMillis());
    } catch (IOException | UncheckedIOException e) {
      return System.currentTimeMillis();
    }
  }

  /** Creates {@code dir} and its missing parents, fsyncing the parent of each one created so it stays. */
  private static void createDirectoriesDurably(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.add(0, p);
    }
    Files.createDirectories(dir);
    for (Path created : missing) {
      if (created.getParent() != null) {
        fsyncDirectory(created.getParent());
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // already gone: the goal is reached
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "checkpoint cleanup failed path=" + dir + " error=\"" + e + "\"");
    }
  }

  // One lock per invocation directory, for puts and deletes within this store instance.
  private final java.util.concurrent.ConcurrentHashMap<Path, Object> locks =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Object lockFor(Path invocationDir) {
    return locks.computeIfAbsent(invocationDir, k -> new Object());
  }

  /**
   * What {@link #latestValid} found.
   *
   * @param manifest the newest checkpoint that verified, if any
   * @param skipped newer checkpoints that did not verify, newest first, each with why
   */
  public record Lookup(Optional<CheckpointManifest> manifest, List<Skipped> skipped) {
    public Lookup {
      Objects.requireNonNull(manifest, "manifest");
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * A checkpoint directory that did not verify.
   *
   * @param directory where it is
   * @param reason what was wrong with it
   */
  public record Skipped(Path directory, String reason) {
    public Skipped {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Passes the state through, checking its size and SHA-256 against the manifest at the end. */
  private static final class VerifyingInputStream extends FilterInputStream {
    private final CheckpointManifest manifest;
    private final Path file;
    private final MessageDigest sha = ManifestCodec.sha256();
    private long count;
    private boolean verified;

    VerifyingInputStream(InputStream in, CheckpointManifest manifest, Path file) {
      super(in);
      this.manifest = manifest;
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        verify();
      } else {
        sha.update((byte) b);
        count++;
        tooLong();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) {
        verify();
      } else {
        sha.update(b, off, n);
        count += n;
        tooLong();
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must still be hashed.
      byte[] buf = new byte[8192];
      long left = n;
      while (left > 0) {
        int r = read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          break;
        }
        left -= r;
      }
      return n - left;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void tooLong() {
      if (count > manifest.stateBytes()) {
        throw new CheckpointException("verify", manifest.id(), "state " + file + " is longer than the "
            + manifest.stateBytes() + " bytes its manifest records: refused");
      }
    }

    private void verify() {
      if (verified) {
        return;
      }
      if (count != manifest.stateBytes()) {
        throw new CheckpointException("verify", manifest.id(), "state " + file + " is truncated: " + count
            + " bytes, its manifest records " + manifest.stateBytes() + ": refused");
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(manifest.stateSha256())) {
        throw new CheckpointException("verify", manifest.id(), "state " + file + " is corrupt: sha256 " + actual
            + ", its manifest records " + manifest.stateSha256() + ": refused");
      }
      verified = true;
    }
  }
}
