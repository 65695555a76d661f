package dev.presize.trainer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BitbrainsReaderTest {

  private static final String HEADER = "Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];"
      + "\tCPU usage [%];\tMemory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];"
      + "\tDisk write throughput [KB/s];\tNetwork received throughput [KB/s];\tNetwork transmitted throughput [KB/s]";

  @TempDir
  Path tmp;

  @Test
  @DisplayName("file 1 is ~30 days at a regular 300 s step, CPU >= 0 cores, memory > 0 bytes, with provisioning")
  void realFile() throws IOException {
    Path file = SharedData.dir("bitbrains-rnd-2013-7").resolve("1.csv.gz");
    Series s = BitbrainsReader.read(file);

    assertThat(s.id()).isEqualTo("bitbrains/1");
    assertThat(s.source()).isEqualTo("bitbrains");
    assertThat(s.step()).isEqualTo(Duration.ofSeconds(300));
    assertThat(s.length()).isBetween(8600, 8700);
    assertThat(s.memoryIsPeak()).isFalse();
    assertThat(s.units()).isEmpty();
    long firstTimestamp = firstTimestampSeconds(file);
    assertThat(s.endMillis(0)).as("step 0 ends at the first timestamp (seconds, not ms)")
        .isEqualTo(firstTimestamp * 1000);
    double[] cpu = s.values(Resource.CPU);
    double[] mem = s.values(Resource.MEMORY);
    long nan = Arrays.stream(cpu).filter(Double::isNaN).count();
    assertThat(nan).as("missing steps (real gaps of more than two steps)").isPositive().isLessThan(s.length() / 20);
    assertThat(Arrays.stream(cpu).filter(v -> !Double.isNaN(v))).allMatch(v -> v >= 0);
    assertThat(Arrays.stream(mem).filter(v -> !Double.isNaN(v))).allMatch(v -> v > 0);
    assertThat(Arrays.stream(mem).filter(Double::isNaN).count()).as("missing memory: gaps and 0 KB readings")
        .isGreaterThanOrEqualTo(nan).isLessThan(s.length() / 10);
    // 2 cores of 2926 MHz: 87.78 MHz in the first row is 0.03 cores; 1034592.8 KB of memory
    assertThat(cpu[0]).isCloseTo(87.7799835 / (5851.9989 / 2), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(mem[0]).isEqualTo(1034592.8 * 1024);
    assertThat(s.provisioned(Resource.CPU)).hasValue(2.0);
    // resized from 8218624 KB to 8388608 KB during the month: the largest allocation
    assertThat(s.provisioned(Resource.MEMORY)).hasValue(8388608.0 * 1024);
    assertThat(s.has(Resource.DISK)).isTrue();
    assertThat(s.value(Resource.DISK, 0)).isEqualTo((160.86666666666667 + 21.733333333333334) * 1024);
    assertThat(s.value(Resource.NETWORK, 0)).isEqualTo((0.26666666666666666 + 1.4666666666666666) * 1024);
  }

  @Test
  @DisplayName("a file with duplicate timestamps is de-duplicated onto one value per 300 s step")
  void duplicates() throws IOException {
    Path dir = SharedData.dir("bitbrains-rnd-2013-7");
    Optional<Path> found = Optional.empty();
    for (int i = 1; i <= 60 && found.isEmpty(); i++) {
      Path f = dir.resolve(i + ".csv.gz");
      if (Files.exists(f) && duplicateTimestamps(f) > 0) {
        found = Optional.of(f);
      }
    }
    assumeTrue(found.isPresent(), "no file with duplicate timestamps among the first 60 in " + dir);
    Path file = found.get();
    List<Long> times = timestampsSeconds(file);
    long distinct = new HashSet<>(times).size();
    long span = times.stream().mapToLong(Long::longValue).max().orElseThrow()
        - times.stream().mapToLong(Long::longValue).min().orElseThrow();

    Series s = BitbrainsReader.read(file);

    assertThat(times.size()).isGreaterThan((int) distinct);
    assertThat(s.length()).as("one step per 300 s of the span, fewer than the rows " + times.size())
        .isEqualTo(Math.round(span / 300.0) + 1)
        .isLessThan(times.size());
  }

  @Test
  @DisplayName("readDirectory reads files in numeric order (1, 2, 3, not 1, 10, 100) up to the limit")
  void numericOrder() throws IOException {
    List<Series> all = BitbrainsReader.readDirectory(SharedData.dir("bitbrains-rnd-2013-7"), 3);
    assertThat(all).extracting(Series::id).containsExactly("bitbrains/1", "bitbrains/2", "bitbrains/3");
  }

  @Test
  @DisplayName("a malformed line fails naming the file and the line number")
  void malformedLine() throws IOException {
    Path file = tmp.resolve("7.csv.gz");
    gzip(file, HEADER + "\n"
        + "1372629804;\t2;\t5851.9989;\t87.78;\t1.5;\t8218624.0;\t1034592.8;\t160.8;\t21.7;\t0.2;\t1.4\n"
        + "1372630104;\t2;\t5851.9989;\tabc;\t0.5;\t8218624.0;\t458575.4;\t0.0;\t2.3;\t0.2;\t1.0\n");
    assertThatThrownBy(() -> BitbrainsReader.read(file))
        .isInstanceOfSatisfying(InputDataException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.file()).isEqualTo(file);
        })
        .hasMessageContaining(file + ":3")
        .hasMessageContaining("CPU usage [MHZ]")
        .hasMessageContaining("abc");
  }

  @Test
  @DisplayName("a line with a missing field fails naming the file and the line number")
  void shortLine() throws IOException {
    Path file = tmp.resolve("8.csv.gz");
    gzip(file, HEADER + "\n1372629804;\t2;\t5851.9989\n");
    assertThatThrownBy(() -> BitbrainsReader.read(file))
        .isInstanceOf(InputDataException.class)
        .hasMessageContaining(file + ":2")
        .hasMessageContaining("expected 11 fields");
  }

  @Test
  @DisplayName("a truncated gzip fails naming the file, the line reached and the truncation")
  void truncatedGzip() throws IOException {
    byte[] whole = Files.readAllBytes(SharedData.dir("bitbrains-rnd-2013-7").resolve("1.csv.gz"));
    Path file = tmp.resolve("1.csv.gz");
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> BitbrainsReader.read(file))
        .isInstanceOfSatisfying(InputDataException.class, e -> assertThat(e.line()).isGreaterThan(1000))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  @DisplayName("a file with another header is refused naming the field")
  void wrongHeader() throws IOException {
    Path file = tmp.resolve("9.csv.gz");
    gzip(file, HEADER.replace("CPU cores", "vCPUs") + "\n");
    assertThatThrownBy(() -> BitbrainsReader.read(file))
        .isInstanceOf(InputDataException.class)
        .hasMessageContaining(file + ":1")
        .hasMessageContaining("'CPU cores'");
  }

  private static void gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static long firstTimestampSeconds(Path file) throws IOException {
    return timestampsSeconds(file).get(0);
  }

  private static long duplicateTimestamps(Path file) throws IOException {
    List<Long> t = timestampsSeconds(file);
    Set<Long> distinct = new HashSet<>(t);
    return t.size() - distinct.size();
  }

  private static List<Long> timestampsSeconds(Path file) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      return in.lines().skip(1).filter(l -> !l.isBlank())
          .map(l -> Long.parseLong(l.substring(0, l.indexOf(';')).strip())).toList();
    }
  }
}
