package dev.presize.trainer.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.core.registry.ModelRegistry;
import dev.presize.core.registry.ModelRegistryContract;
import dev.presize.core.registry.ModelVersion;
import dev.presize.core.registry.MutableClock;
import dev.presize.core.registry.Pointer;
import dev.presize.core.registry.RegistryException;
import dev.presize.core.registry.Version;
import dev.presize.core.registry.VersionRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link S3ModelRegistry} with the real AWS SDK v2 client against {@link S3Stub}: the contract, plus S3 specifics. */
class S3ModelRegistryTest extends ModelRegistryContract {

  private static final String BUCKET = "presize-models";
  private static final String PREFIX = "team/";

  private S3Stub stub;
  private S3Client client;

  @Override
  protected ModelRegistry create(MutableClock clock) throws Exception {
    stub = new S3Stub(BUCKET);
    client = S3Client.builder()
        .endpointOverride(stub.endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTUB", "stub-secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    return new S3ModelRegistry(client, BUCKET, PREFIX, work.resolve("cache"), clock);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (stub != null) {
      stub.close();
    }
  }

  private static String key(String name, Version v, String file) {
    return PREFIX + "models/" + name + "/" + v + "/" + file;
  }

  @Override
  protected void corrupt(String name, Version version, String file) {
    byte[] b = stub.get(key(name, version, file));
    b[b.length / 2] ^= 0x01;
    stub.put(key(name, version, file), b);
  }

  @Override
  protected void delete(String name, Version version, String file) {
    stub.delete(key(name, version, file));
  }

  @Test
  @DisplayName("keys mirror the filesystem layout: <prefix>models/<name>/<version>/<file> and .../current")
  void layout() throws Exception {
    Path src = model("a");
    registry.publish("m", src);
    registry.promote("m", new Version(1));
    assertThat(stub.keys()).containsExactly(
        "team/models/m/current",
        "team/models/m/v1/SHA256SUMS",
        "team/models/m/v1/cpu.json",
        "team/models/m/v1/memory.json",
        "team/models/m/v1/metadata.json",
        "team/models/m/v1/state.json");
    assertThat(stub.get("team/models/m/v1/memory.json")).isEqualTo(java.nio.file.Files.readAllBytes(
        src.resolve("memory.json")));
    assertThat(Pointer.decode(stub.get("team/models/m/current"), "current").current()).contains(new Version(1));
  }

  @Test
  @DisplayName("a crashed publish (reservation still 'publishing', files half uploaded) is invisible, its number skipped")
  void crashedPublishInvisible() throws Exception {
    ModelVersion v1 = registry.publish("m", model("a"));
    VersionRecord half = VersionRecord.decode(stub.get(key("m", new Version(1), "state.json")), "s")
        .withStatus(VersionRecord.Status.PUBLISHING);
    stub.put(key("m", new Version(2), "state.json"),
        new String(half.encode(), StandardCharsets.UTF_8).replace("\"v1\"", "\"v2\"").getBytes(StandardCharsets.UTF_8));
    stub.put(key("m", new Version(2), "metadata.json"), "{".getBytes(StandardCharsets.UTF_8));
    assertThat(registry.versions("m")).containsExactly(v1);
    assertThatThrownBy(() -> registry.promote("m", new Version(2))).isInstanceOfSatisfying(RegistryException.class,
        e -> assertThat(e.problem()).isEqualTo(RegistryException.Problem.NOT_FOUND));
    assertThat(registry.publish("m", model("b")).version()).isEqualTo(new Version(3));
  }

  @Test
  @DisplayName("a promotion that loses a race for the pointer (If-Match fails) is a CONFLICT and changes nothing")
  void pointerRace() throws Exception {
    registry.publish("m", model("a"));
    registry.publish("m", model("b"));
    registry.publish("m", model("c"));
    registry.promote("m", new Version(1));
    ModelRegistry other = new S3ModelRegistry(client, BUCKET, PREFIX, work.resolve("cache2"), clock);
    stub.beforeNextPut("team/models/m/current", () -> other.promote("m", new Version(3)));
    assertThatThrownBy(() -> registry.promote("m", new Version(2))).isInstanceOfSatisfying(RegistryException.class,
        e -> assertThat(e.problem()).isEqualTo(RegistryException.Problem.CONFLICT)).hasMessageContaining("retry");
    // the other writer's promotion stands; the loser wrote nothing
    Pointer p = Pointer.decode(stub.get("team/models/m/current"), "current");
    assertThat(p.current()).contains(new Version(3));
    assertThat(p.previous()).containsExactly(new Version(1));
    assertThat(registry.promote("m", new Version(2)).previous()).contains(new Version(3)); // a retry succeeds
  }

  @Test
  @DisplayName("concurrent publishers (separate clients' registries) reserve distinct version numbers")
  void concurrentPublishers() throws Exception {
    Path src = model("a");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ModelVersion>> fs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        fs.add(pool.submit(() -> new S3ModelRegistry(client, BUCKET, PREFIX, work.resolve("c" + n), clock)
            .publish("m", src)));
      }
      List<Integer> numbers = new ArrayList<>();
      for (Future<ModelVersion> f : fs) {
        numbers.add(f.get().version().number());
      }
      assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.versions("m")).hasSize(8);
  }

  @Test
  @DisplayName("the stub decodes aws-chunked bodies with signatures and trailers")
  void awsChunked() {
    byte[] body = ("5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\n"
        + "x-amz-checksum-crc32:AAAAAA==\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(new String(S3Stub.decodeAwsChunked(body), StandardCharsets.US_ASCII)).isEqualTo("hello world");
  }

  @Test
  @DisplayName("bad bucket names and prefixes are refused with the value named")
  void badLocation() {
    assertThatThrownBy(() -> new S3ModelRegistry(client, "Bad_Bucket", "", work, clock))
        .hasMessageContaining("'Bad_Bucket'");
    assertThatThrownBy(() -> new S3ModelRegistry(client, BUCKET, "../x/", work, clock)).hasMessageContaining("'../x/'");
    assertThatThrownBy(() -> new S3ModelRegistry(client, BUCKET, "noslash", work, clock))
        .hasMessageContaining("'noslash'");
  }

  @Test
  @DisplayName("listing pages through ListObjectsV2 continuation tokens (more than 1000 keys)")
  void paging() throws Exception {
    registry.publish("m", model("a"));
    for (int i = 0; i < 1100; i++) {
      stub.put(PREFIX + "models/zz" + i + "/junk", new byte[0]); // names without versions: not listed
    }
    assertThat(registry.list()).hasSize(1);
  }
}
