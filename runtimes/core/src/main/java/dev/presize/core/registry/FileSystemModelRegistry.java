package dev.presize.core.registry;

import dev.presize.core.registry.RegistryException.Problem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A {@link ModelRegistry} in a local directory: {@code <root>/models/<name>/<version>/} holds a model directory
 * unchanged plus {@code state.json}; {@code <root>/models/<name>/current} is the pointer.
 *
 * <p>Versions are built under a temporary name, fsynced, verified and renamed into place, so a version
 * directory is always complete; state files are replaced by write-temp, fsync, rename, fsync-directory.
 * Writers hold {@code <root>/.lock} ({@link FileChannel#lock}) so processes cannot interleave; readers take no
 * lock. Temporary leftovers of a crashed writer ({@code .tmp-*}) are ignored by readers and deleted by the
 * next writer.
 */
public final class FileSystemModelRegistry implements ModelRegistry {

  /** The lock file writers hold, in the registry root. */
  public static final String LOCK_FILE = ".lock";

  /**
   * One in-JVM lock per registry root: a {@link FileChannel#lock} excludes other processes only, and two
   * instances in one JVM would get an {@code OverlappingFileLockException}. Static because the file lock is
   * per process, not per instance; it holds no configuration.
   */
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private static final Set<String> REGISTRY_FILES = Set.of(VersionRecord.FILE);

  private final Path root;
  private final Path models;
  private final InstantSource clock;

  /** A registry in {@code root} (created on first publish), with the system clock. */
  public FileSystemModelRegistry(Path root) {
    this(root, InstantSource.system());
  }

  public FileSystemModelRegistry(Path root, InstantSource clock) {
    this.root = root.toAbsolutePath().normalize();
    this.models = this.root.resolve("models");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The registry's root directory. */
  public Path root() {
    return root;
  }

  @Override
  public ModelVersion publish(String name, Path modelDir) {
    ModelNames.check(name);
    if (!Files.isDirectory(modelDir)) {
      throw new RegistryException(Problem.NOT_FOUND, "publish", modelDir.toString(), "not a directory");
    }
    if (Files.exists(modelDir.resolve(VersionRecord.FILE))) {
      throw new RegistryException(Problem.DAMAGED, "publish", modelDir.toString(),
          VersionRecord.FILE + " is reserved for the registry's own state; a model directory must not contain it");
    }
    ModelChecksums.verify(modelDir, Set.of()); // refuse a bad source before taking the lock
    return locked("publish", name, () -> {
      Path nameDir = models.resolve(name);
      if (!Files.isDirectory(nameDir)) {
        Files.createDirectories(nameDir);
        AtomicFiles.fsyncDirectory(models);
      }
      cleanTemps(nameDir);
      Version next = versionNumbers(nameDir).stream().max(Version::compareTo).map(Version::next)
          .orElse(new Version(1));
      Path tmp = AtomicFiles.tempIn(nameDir, next.toString());
      Files.createDirectory(tmp);
      try (Stream<Path> files = Files.list(modelDir)) {
        for (Path f : files.sorted().toList()) {
          AtomicFiles.copyDurably(f, tmp.resolve(f.getFileName().toString()));
        }
      }
      String digest = ModelChecksums.verify(tmp, Set.of()); // the copy, not only the source
      ModelInfo info = ModelInfo.parse(Files.readAllBytes(tmp.resolve("metadata.json")), digest,
          modelDir.resolve("metadata.json").toString());
      VersionRecord record = VersionRecord.candidate(name, next, clock.instant(), info);
      try (FileChannel ch = FileChannel.open(tmp.resolve(VersionRecord.FILE), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(record.encode()));
        ch.force(true);
      }
      AtomicFiles.fsyncDirectory(tmp);
      // A directory rename is atomic; the target cannot exist (next is above every version there).
      Files.move(tmp, nameDir.resolve(next.toString()), StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.fsyncDirectory(nameDir);
      return record.view(pointer(name));
    });
  }

  @Override
  public List<ModelSummary> list() {
    List<ModelSummary> out = new ArrayList<>();
    for (String name : names()) {
      Path nameDir = models.resolve(name);
      List<Version> vs = versionNumbers(nameDir);
      if (!vs.isEmpty()) {
        out.add(new ModelSummary(name, pointer(name).current(), vs.get(vs.size() - 1), vs.size()));
      }
    }
    return out;
  }

  @Override
  public List<ModelVersion> versions(String name) {
    Path nameDir = existingName(name, "list versions");
    Pointer p = pointer(name);
    List<ModelVersion> out = new ArrayList<>();
    for (Version v : versionNumbers(nameDir)) {
      out.add(record(name, v).view(p));
    }
    return out;
  }

  @Override
  public Optional<VerifiedModel> current(String name) {
    existingName(name, "resolve current");
    Pointer p = pointer(name);
    if (p.current().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(RegistryException.openCurrent(name, p.current().get(), v -> open(name, v)));
  }

  @Override
  public Promotion promote(String name, Version version) {
    ModelNames.check(name);
    Objects.requireNonNull(version, "version");
    existingName(name, "promote"); // before locking: a typo must not create a registry directory
    return locked("promote", name + "/" + version, () -> {
      cleanTemps(existingName(name, "promote"));
      Pointer p = pointer(name);
      VersionRecord r = record(name, version);
      if (r.status() == VersionRecord.Status.REJECTED) {
        throw new RegistryException(Problem.STATE, "promote", name + "/" + version, "it was rejected ("
            + r.reason().orElse("") + "); publish the model again to submit it anew");
      }
      verifyOrRefuse("promote", name, version, p);
      Pointer next = p.promote(version, clock.instant());
      writePointer(name, next);
      return new Promotion(name, version, p.current(), next.history().get(next.history().size() - 1).at());
    });
  }

  @Override
  public ModelVersion reject(String name, Version version, String reason) {
    ModelNames.check(name);
    Objects.requireNonNull(version, "version");
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a rejection needs a reason, got '" + reason + "'");
    }
    existingName(name, "reject"); // before locking: a typo must not create a registry directory
    return locked("reject", name + "/" + version, () -> {
      Path nameDir = existingName(name, "reject");
      cleanTemps(nameDir);
      Pointer p = pointer(name);
      VersionRecord r = record(name, version);
      ModelState state = r.view(p).state();
      if (state != ModelState.CANDIDATE) {
        throw new RegistryException(Problem.STATE, "reject", name + "/" + version, "it is " + state.label()
            + "; only candidates can be rejected" + (state == ModelState.CURRENT ? " (roll back first)" : ""));
      }
      VersionRecord rejected = r.rejected(reason, clock.instant());
      AtomicFiles.writeAtomically(nameDir.resolve(version.toString()).resolve(VersionRecord.FILE), rejected.encode(),
          nameDir);
      return rejected.view(p);
    });
  }

  @Override
  public Promotion rollback(String name) {
    ModelNames.check(name);
    existingName(name, "rollback"); // before locking: a typo must not create a registry directory
    return locked("rollback", name, () -> {
      cleanTemps(existingName(name, "rollback"));
      Pointer p = pointer(name);
      Pointer next = p.rollback(clock.instant()); // refuses when there is nothing to roll back to
      Version target = next.current().orElseThrow();
      verifyOrRefuse("rollback", name, target, p);
      writePointer(name, next);
      return new Promotion(name, target, p.current(), next.history().get(next.history().size() - 1).at());
    });
  }

  @Override
  public VerifiedModel open(String name, Version version) {
    Path nameDir = existingName(name, "open");
    Objects.requireNonNull(version, "version");
    Path dir = nameDir.resolve(version.toString());
    if (!Files.isDirectory(dir)) {
      throw unknownVersion("open", name, version, nameDir);
    }
    String digest = ModelChecksums.verify(dir, REGISTRY_FILES);
    VersionRecord r = record(name, version);
    if (!digest.equals(r.model().digest())) {
      throw new RegistryException(Problem.DAMAGED, "open", dir.toString(), "SHA256SUMS has digest " + digest
          + " but the version was published with " + r.model().digest() + ": its files were replaced");
    }
    return new VerifiedModel(r.view(pointer(name)), dir);
  }

  // --- internals

  private void verifyOrRefuse(String op, String name, Version version, Pointer p) {
    RegistryException.verifyBeforeChange(op, name, version, p.current(), v -> open(name, v));
  }

  private List<String> names() {
    if (!Files.isDirectory(models)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(models)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(ModelNames::isValid).sorted()
          .toList();
    } catch (IOException e) {
      throw new RegistryException(Problem.IO, "list models", models.toString(), e.toString(), e);
    }
  }

  /** The version directories of a name, sorted; temporary and other names are ignored. */
  private static List<Version> versionNumbers(Path nameDir) {
    if (!Files.isDirectory(nameDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(nameDir)) {
      return s.map(p -> p.getFileName().toString()).filter(Version::isVersion).map(Version::parse).sorted()
          .toList();
    } catch (IOException e) {
      throw new RegistryException(Problem.IO, "list versions", nameDir.toString(), e.toString(), e);
    }
  }

  /** The directory of a name that has at least one version, or NOT_FOUND listing the names there are. */
  private Path existingName(String name, String op) {
    ModelNames.check(name);
    Path nameDir = models.resolve(name);
    if (versionNumbers(nameDir).isEmpty()) {
      List<String> names = list().stream().map(ModelSummary::name).toList();
      throw new RegistryException(Problem.NOT_FOUND, op, name, "no model named '" + name + "' in " + root
          + " (models: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
    }
    return nameDir;
  }

  private RegistryException unknownVersion(String op, String name, Version v, Path nameDir) {
    String have = versionNumbers(nameDir).stream().map(Version::toString).collect(Collectors.joining(", "));
    return new RegistryException(Problem.NOT_FOUND, op, name + "/" + v, "no version " + v + " of '" + name
        + "' (versions: " + have + ")");
  }

  private VersionRecord record(String name, Version v) {
    Path nameDir = models.resolve(name);
    Path file = nameDir.resolve(v.toString()).resolve(VersionRecord.FILE);
    try {
      VersionRecord r = VersionRecord.decode(Files.readAllBytes(file), file.toString());
      if (!r.name().equals(name) || !r.version().equals(v)) {
        throw new RegistryException(Problem.DAMAGED, "read version state", file.toString(), "it describes "
            + r.name() + "/" + r.version() + ", not " + name + "/" + v);
      }
      return r;
    } catch (NoSuchFileException e) {
      if (!Files.isDirectory(file.getParent())) {
        throw unknownVersion("read", name, v, nameDir);
      }
      throw new RegistryException(Problem.DAMAGED, "read version state", file.toString(), "missing", e);
    } catch (IOException e) {
      throw new RegistryException(Problem.IO, "read version state", file.toString(), e.toString(), e);
    }
  }

  private Pointer pointer(String name) {
    Path file = models.resolve(name).resolve(Pointer.FILE);
    try {
      Pointer p = Pointer.decode(Files.readAllBytes(file), file.toString());
      if (!p.name().equals(name)) {
        throw new RegistryException(Problem.DAMAGED, "read current pointer", file.toString(), "it names model '"
            + p.name() + "', not '" + name + "'");
      }
      return p;
    } catch (NoSuchFileException e) {
      return Pointer.empty(name);
    } catch (IOException e) {
      throw new RegistryException(Problem.IO, "read current pointer", file.toString(), e.toString(), e);
    }
  }

  private void writePointer(String name, Pointer p) throws IOException {
    Path nameDir = models.resolve(name);
    AtomicFiles.writeAtomically(nameDir.resolve(Pointer.FILE), p.encode(), nameDir);
  }

  /** Deletes what crashed writers left; only called under the lock, so no live writer owns them. */
  private static void cleanTemps(Path nameDir) throws IOException {
    if (!Files.isDirectory(nameDir)) {
      return;
    }
    List<Path> temps;
    try (Stream<Path> s = Files.list(nameDir)) {
      temps = s.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)).toList();
    }
    for (Path t : temps) {
      AtomicFiles.deleteRecursively(t);
    }
  }

  @FunctionalInterface
  private interface IoBody<T> {
    T run() throws IOException;
  }

  private <T> T locked(String op, String resource, IoBody<T> body) {
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(root, k -> new ReentrantLock());
    jvm.lock();
    try {
      Files.createDirectories(models);
      try (FileChannel ch = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        return body.run();
      }
    } catch (IOException e) {
      throw new RegistryException(Problem.IO, op, resource + " in " + root, e.toString(), e);
    } finally {
      jvm.unlock();
    }
  }
}
