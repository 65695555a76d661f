package dev.presize.trainer.registry;

import dev.presize.core.registry.AtomicFiles;
import dev.presize.core.registry.ModelChecksums;
import dev.presize.core.registry.ModelInfo;
import dev.presize.core.registry.ModelNames;
import dev.presize.core.registry.ModelRegistry;
import dev.presize.core.registry.ModelState;
import dev.presize.core.registry.ModelSummary;
import dev.presize.core.registry.ModelVersion;
import dev.presize.core.registry.Pointer;
import dev.presize.core.registry.Promotion;
import dev.presize.core.registry.RegistryException;
import dev.presize.core.registry.RegistryException.Problem;
import dev.presize.core.registry.VerifiedModel;
import dev.presize.core.registry.Version;
import dev.presize.core.registry.VersionRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ModelRegistry} in an S3 bucket, keys mirroring the filesystem layout under a prefix:
 * {@code <prefix>models/<name>/<version>/<file>} and the pointer {@code <prefix>models/<name>/current}.
 *
 * <p>S3 has no rename, so atomicity comes from single-object writes and conditional requests. Publishing
 * reserves the next version by creating its {@code state.json} with status {@code publishing} and
 * {@code If-None-Match: *} (a concurrent publisher gets 412 and takes the next number), uploads the files,
 * reads every one back against SHA256SUMS, then rewrites {@code state.json} as {@code candidate}: only then is
 * the version visible. The pointer is one small object replaced by one PutObject with {@code If-Match} of the
 * ETag it was read with (or {@code If-None-Match: *} when new), written only after the target version was
 * downloaded and verified; a lost race is a {@code CONFLICT} and changes nothing. {@link #open} downloads the
 * version into {@code cacheDir} and verifies it every time.
 */
public final class S3ModelRegistry implements ModelRegistry {

  private static final int MAX_RESERVE_ATTEMPTS = 100;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final Path cacheDir;
  private final InstantSource clock;

  /**
   * A registry in {@code bucket} under {@code prefix} ({@code ""} or ending with {@code /}), downloading
   * opened versions into {@code cacheDir}. The client is the caller's (region, credentials, endpoint).
   */
  public S3ModelRegistry(S3Client s3, String bucket, String prefix, Path cacheDir, InstantSource clock) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("bad S3 bucket name '" + bucket + "'");
    }
    if (prefix == null || !(prefix.isEmpty() || prefix.endsWith("/")) || prefix.startsWith("/")
        || prefix.contains("..")) {
      throw new IllegalArgumentException("bad S3 key prefix '" + prefix + "': empty or like 'presize/' (no leading /)");
    }
    this.bucket = bucket;
    this.prefix = prefix;
    this.cacheDir = cacheDir.toAbsolutePath().normalize();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code s3://bucket/prefix}, for messages. */
  public String location() {
    return "s3://" + bucket + "/" + prefix;
  }

  // --- keys

  private String modelsKey() {
    return prefix + "models/";
  }

  private String nameKey(String name) {
    return modelsKey() + name + "/";
  }

  private String versionKey(String name, Version v) {
    return nameKey(name) + v + "/";
  }

  private String pointerKey(String name) {
    return nameKey(name) + Pointer.FILE;
  }

  private String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  // --- the contract

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
    String digest = ModelChecksums.verify(modelDir, Set.of());
    try {
      ModelInfo info = ModelInfo.parse(Files.readAllBytes(modelDir.resolve("metadata.json")), digest,
          modelDir.resolve("metadata.json").toString());
      Map<String, Path> files = new TreeMap<>();
      try (Stream<Path> s = Files.list(modelDir)) {
        s.forEach(p -> files.put(p.getFileName().toString(), p));
      }
      // Reserve the next number: creating its state.json succeeds for exactly one publisher.
      Version v = allVersionNumbers(name).stream().max(Version::compareTo).map(Version::next).orElse(new Version(1));
      VersionRecord record = null;
      String reservationEtag = null;
      for (int attempt = 0; attempt < MAX_RESERVE_ATTEMPTS && reservationEtag == null; attempt++) {
        record = VersionRecord.candidate(name, v, clock.instant(), info);
        Optional<String> etag = put(versionKey(name, v) + VersionRecord.FILE,
            record.withStatus(VersionRecord.Status.PUBLISHING).encode(), Condition.ABSENT, "publish");
        if (etag.isPresent()) {
          reservationEtag = etag.get();
        } else {
          v = v.next();
        }
      }
      if (reservationEtag == null) {
        throw new RegistryException(Problem.CONFLICT, "publish", uri(nameKey(name)), "could not reserve a version "
            + "number in " + MAX_RESERVE_ATTEMPTS + " attempts; retry");
      }
      String vKey = versionKey(name, v);
      for (Map.Entry<String, Path> f : files.entrySet()) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(vKey + f.getKey()).build(),
            RequestBody.fromFile(f.getValue()));
      }
      for (Map.Entry<String, Path> f : files.entrySet()) { // read back: the stored bytes are what was verified
        String stored = ModelChecksums.sha256(get(vKey + f.getKey()).orElseThrow(() -> new RegistryException(
            Problem.DAMAGED, "publish", uri(vKey + f.getKey()), "missing right after upload")).asByteArray());
        if (!stored.equals(ModelChecksums.sha256(f.getValue()))) {
          throw new RegistryException(Problem.DAMAGED, "publish", uri(vKey + f.getKey()),
              "the stored object does not match the uploaded file; " + v + " stays invisible");
        }
      }
      if (put(vKey + VersionRecord.FILE, record.encode(), Condition.match(reservationEtag), "publish").isEmpty()) {
        throw new RegistryException(Problem.CONFLICT, "publish", uri(vKey + VersionRecord.FILE),
            "the reservation was changed by someone else during the upload; " + v + " stays invisible");
      }
      return record.view(pointer(name).pointer());
    } catch (IOException e) {
      throw new RegistryException(Problem.IO, "publish", modelDir.toString(), e.toString(), e);
    } catch (SdkException e) {
      throw sdk("publish", uri(nameKey(name)), e);
    }
  }

  @Override
  public List<ModelSummary> list() {
    List<ModelSummary> out = new ArrayList<>();
    for (String seg : childPrefixes(modelsKey())) {
      if (!ModelNames.isValid(seg)) {
        continue;
      }
      Map<Version, VersionRecord> records = visibleRecords(seg);
      if (!records.isEmpty()) {
        out.add(new ModelSummary(seg, pointer(seg).pointer().current(), ((TreeMap<Version, VersionRecord>) records)
            .lastKey(), records.size()));
      }
    }
    return out;
  }

  @Override
  public List<ModelVersion> versions(String name) {
    Map<Version, VersionRecord> records = existing(name, "list versions");
    Pointer p = pointer(name).pointer();
    return records.values().stream().map(r -> r.view(p)).toList();
  }

  @Override
  public Optional<VerifiedModel> current(String name) {
    existing(name, "resolve current");
    Pointer p = pointer(name).pointer();
    if (p.current().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(RegistryException.openCurrent(name, p.current().get(), v -> open(name, v)));
  }

  @Override
  public Promotion promote(String name, Version version) {
    Map<Version, VersionRecord> records = existing(name, "promote");
    Objects.requireNonNull(version, "version");
    VersionRecord r = records.get(version);
    if (r == null) {
      throw unknownVersion("promote", name, version, records);
    }
    if (r.status() == VersionRecord.Status.REJECTED) {
      throw new RegistryException(Problem.STATE, "promote", name + "/" + version, "it was rejected ("
          + r.reason().orElse("") + "); publish the model again to submit it anew");
    }
    Stored p = pointer(name);
    Pointer next = p.pointer().promote(version, clock.instant());
    verifyOrRefuse("promote", name, version, p.pointer());
    writePointer(name, p, next, "promote");
    return new Promotion(name, version, p.pointer().current(), next.history().get(next.history().size() - 1).at());
  }

  @Override
  public ModelVersion reject(String name, Version version, String reason) {
    Objects.requireNonNull(version, "version");
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a rejection needs a reason, got '" + reason + "'");
    }
    Map<Version, VersionRecord> records = existing(name, "reject");
    if (!records.containsKey(version)) {
      throw unknownVersion("reject", name, version, records);
    }
    String key = versionKey(name, version) + VersionRecord.FILE;
    try {
      ResponseBytes<GetObjectResponse> bytes = get(key).orElseThrow(() -> unknownVersion("reject", name, version,
          records));
      VersionRecord r = VersionRecord.decode(bytes.asByteArray(), uri(key));
      Pointer p = pointer(name).pointer();
      ModelState state = r.view(p).state();
      if (state != ModelState.CANDIDATE) {
        throw new RegistryException(Problem.STATE, "reject", name + "/" + version, "it is " + state.label()
            + "; only candidates can be rejected" + (state == ModelState.CURRENT ? " (roll back first)" : ""));
      }
      VersionRecord rejected = r.rejected(reason, clock.instant());
      if (put(key, rejected.encode(), Condition.match(bytes.response().eTag()), "reject").isEmpty()) {
        throw new RegistryException(Problem.CONFLICT, "reject", uri(key), "changed concurrently; retry");
      }
      return rejected.view(p);
    } catch (SdkException e) {
      throw sdk("reject", uri(key), e);
    }
  }

  @Override
  public Promotion rollback(String name) {
    existing(name, "rollback");
    Stored p = pointer(name);
    Pointer next = p.pointer().rollback(clock.instant());
    Version target = next.current().orElseThrow();
    verifyOrRefuse("rollback", name, target, p.pointer());
    writePointer(name, p, next, "rollback");
    return new Promotion(name, target, p.pointer().current(), next.history().get(next.history().size() - 1).at());
  }

  @Override
  public VerifiedModel open(String name, Version version) {
    Map<Version, VersionRecord> records = existing(name, "open");
    Objects.requireNonNull(version, "version");
    VersionRecord r = records.get(version);
    if (r == null) {
      throw unknownVersion("open", name, version, records);
    }
    String vKey = versionKey(name, version);
    Path nameCache = cacheDir.resolve(name);
    Path target = nameCache.resolve(version.toString());
    Path tmp = AtomicFiles.tempIn(nameCache, version.toString());
    try {
      Files.createDirectories(tmp);
      for (S3Object o : keys(vKey)) {
        String file = o.key().substring(vKey.length());
        if (file.equals(VersionRecord.FILE)) {
          continue;
        }
        if (file.isEmpty() || file.contains("/") || file.equals("..") || file.equals(".")) {
          throw new RegistryException(Problem.DAMAGED, "open", uri(o.key()), "unexpected object in a version");
        }
        byte[] bytes = get(o.key()).orElseThrow(() -> new RegistryException(Problem.DAMAGED, "open", uri(o.key()),
            "listed but gone")).asByteArray();
        writeDurably(tmp.resolve(file), bytes);
      }
      AtomicFiles.fsyncDirectory(tmp);
      String digest;
      try {
        digest = ModelChecksums.verify(tmp, Set.of());
      } catch (RegistryException e) {
        throw new RegistryException(e.problem(), "open", uri(vKey), e.getMessage(), e);
      }
      if (!digest.equals(r.model().digest())) {
        throw new RegistryException(Problem.DAMAGED, "open", uri(vKey), "SHA256SUMS has digest " + digest
            + " but the version was published with " + r.model().digest() + ": its files were replaced");
      }
      // Replace the cached copy; a directory rename is atomic, so readers see the old or the new one.
      if (Files.exists(target)) {
        Path old = AtomicFiles.tempIn(nameCache, version + "-old");
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.deleteRecursively(old);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.fsyncDirectory(nameCache);
      return new VerifiedModel(r.view(pointer(name).pointer()), target);
    } catch (IOException e) {
      throw new RegistryException(Problem.IO, "open", uri(vKey) + " into " + target, e.toString(), e);
    } catch (SdkException e) {
      throw sdk("open", uri(vKey), e);
    } finally {
      try {
        AtomicFiles.deleteRecursively(tmp);
      } catch (IOException e) {
        // a leftover temp directory in the cache is harmless (ignored, overwritten by name); the result stands
      }
    }
  }

  // --- internals

  private void verifyOrRefuse(String op, String name, Version version, Pointer p) {
    RegistryException.verifyBeforeChange(op, name, version, p.current(), v -> open(name, v));
  }

  /** The pointer as read, with the ETag it was read with (absent: never written). */
  private record Stored(Pointer pointer, Optional<String> etag) {}

  private Stored pointer(String name) {
    String key = pointerKey(name);
    try {
      Optional<ResponseBytes<GetObjectResponse>> bytes = get(key);
      if (bytes.isEmpty()) {
        return new Stored(Pointer.empty(name), Optional.empty());
      }
      Pointer p = Pointer.decode(bytes.get().asByteArray(), uri(key));
      if (!p.name().equals(name)) {
        throw new RegistryException(Problem.DAMAGED, "read current pointer", uri(key), "it names model '" + p.name()
            + "', not '" + name + "'");
      }
      return new Stored(p, Optional.of(bytes.get().response().eTag()));
    } catch (SdkException e) {
      throw sdk("read current pointer", uri(key), e);
    }
  }

  private void writePointer(String name, Stored old, Pointer next, String op) {
    Condition c = old.etag().map(Condition::match).orElse(Condition.ABSENT);
    if (put(pointerKey(name), next.encode(), c, op).isEmpty()) {
      throw new RegistryException(Problem.CONFLICT, op, uri(pointerKey(name)), "the pointer was changed by another "
          + "promotion or rollback meanwhile; nothing was changed, retry");
    }
  }

  /** Version numbers with any object under them, visible or not (a crashed publish keeps its number). */
  private List<Version> allVersionNumbers(String name) {
    return childPrefixes(nameKey(name)).stream().filter(Version::isVersion).map(Version::parse).sorted().toList();
  }

  /** The complete versions of a name (state.json present and not {@code publishing}), sorted. */
  private Map<Version, VersionRecord> visibleRecords(String name) {
    Map<Version, VersionRecord> out = new TreeMap<>();
    for (Version v : allVersionNumbers(name)) {
      String key = versionKey(name, v) + VersionRecord.FILE;
      Optional<ResponseBytes<GetObjectResponse>> bytes = get(key);
      if (bytes.isEmpty()) {
        continue; // objects without a reservation: not a version (nothing we write looks like this)
      }
      VersionRecord r = VersionRecord.decode(bytes.get().asByteArray(), uri(key));
      if (!r.name().equals(name) || !r.version().equals(v)) {
        throw new RegistryException(Problem.DAMAGED, "read version state", uri(key), "it describes " + r.name()
            + "/" + r.version() + ", not " + name + "/" + v);
      }
      if (r.status() != VersionRecord.Status.PUBLISHING) {
        out.put(v, r);
      }
    }
    return out;
  }

  private Map<Version, VersionRecord> existing(String name, String op) {
    ModelNames.check(name);
    Map<Version, VersionRecord> records = visibleRecords(name);
    if (records.isEmpty()) {
      List<String> names = list().stream().map(ModelSummary::name).toList();
      throw new RegistryException(Problem.NOT_FOUND, op, name, "no model named '" + name + "' in " + location()
          + " (models: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
    }
    return records;
  }

  private static RegistryException unknownVersion(String op, String name, Version v,
      Map<Version, VersionRecord> records) {
    String have = records.keySet().stream().map(Version::toString).collect(Collectors.joining(", "));
    return new RegistryException(Problem.NOT_FOUND, op, name + "/" + v, "no version " + v + " of '" + name
        + "' (versions: " + have + ")");
  }

  /** A conditional write: none, the key must be absent, or its ETag must match. */
  private record Condition(Optional<String> ifMatch, boolean absent) {
    static final Condition ABSENT = new Condition(Optional.empty(), true);

    static Condition match(String etag) {
      return new Condition(Optional.of(etag), false);
    }
  }

  /** Puts an object conditionally; the new ETag, or empty if the condition failed (412 or 409). */
  private Optional<String> put(String key, byte[] bytes, Condition c, String op) {
    PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json");
    if (c.absent()) {
      b.ifNoneMatch("*");
    }
    c.ifMatch().ifPresent(b::ifMatch);
    try {
      return Optional.of(s3.putObject(b.build(), RequestBody.fromBytes(bytes)).eTag());
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return Optional.empty(); // 409: a concurrent conditional write to the same key is in flight
      }
      throw sdk(op, uri(key), e);
    } catch (SdkException e) {
      throw sdk(op, uri(key), e);
    }
  }

  private Optional<ResponseBytes<GetObjectResponse>> get(String key) {
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw sdk("get", uri(key), e);
    }
  }

  /** The segments directly under {@code keyPrefix} that have objects below them ({@code a} for {@code a/...}). */
  private List<String> childPrefixes(String keyPrefix) {
    try {
      List<String> out = new ArrayList<>();
      ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix).delimiter("/")
          .build();
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) {
        for (CommonPrefix cp : page.commonPrefixes()) {
          String seg = cp.prefix().substring(keyPrefix.length());
          out.add(seg.endsWith("/") ? seg.substring(0, seg.length() - 1) : seg);
        }
      }
      return out;
    } catch (SdkException e) {
      throw sdk("list", uri(keyPrefix), e);
    }
  }

  private List<S3Object> keys(String keyPrefix) {
    List<S3Object> out = new ArrayList<>();
    ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix).build();
    for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) {
      out.addAll(page.contents());
    }
    return out;
  }

  private static void writeDurably(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  private static RegistryException sdk(String op, String resource, SdkException e) {
    return new RegistryException(Problem.IO, op, resource, e.getMessage(), e);
  }
}
