package dev.presize.trainer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoogleTaskReaderTest {

  @TempDir
  Path tmp;

  @Test
  @DisplayName("all 19 task files parse: 300 s steps, normalized values in [0, 1], peak memory, limits")
  void allFiles() throws IOException {
    Path dir = SharedData.dir("google2019-tasks");
    List<Series> all = GoogleTaskReader.readDirectory(dir);

    assertThat(all).hasSize(19);
    for (Series s : all) {
      assertThat(s.id()).startsWith("google/job");
      assertThat(Files.exists(dir.resolve(s.id().substring("google/".length()) + ".csv.gz"))).isTrue();
      assertThat(s.source()).isEqualTo("google");
      assertThat(s.step()).isEqualTo(Duration.ofSeconds(300));
      assertThat(s.memoryIsPeak()).isTrue();
      assertThat(s.units()).contains("normalized");
      assertThat(s.has(Resource.NETWORK)).isFalse();
      assertThat(s.has(Resource.DISK)).isFalse();
      assertThat(s.length()).as(s.id()).isGreaterThan(800);
      for (Resource r : List.of(Resource.CPU, Resource.MEMORY)) {
        double[] v = s.values(r);
        assertThat(Arrays.stream(v).filter(x -> !Double.isNaN(x))).as(s.id() + " " + r)
            .isNotEmpty().allMatch(x -> x >= 0 && x <= 1);
        // tasks that were not running leave real gaps (NaN); at least the ~890 windows of the shortest file remain
        assertThat(Arrays.stream(v).filter(x -> !Double.isNaN(x)).count()).as(s.id() + " " + r + " steps with data")
            .isGreaterThan(800);
      }
      assertThat(s.provisioned(Resource.CPU)).as(s.id()).isPresent();
      assertThat(s.provisioned(Resource.MEMORY)).as(s.id()).isPresent();
    }
  }

  @Test
  @DisplayName("the first window of a file starts at its time after the assumed trace start 2019-05-01T00:00Z")
  void startTime() throws IOException {
    Path file = SharedData.dir("google2019-tasks").resolve("job113-115-300000000-2678700000000.csv.gz");
    Series s = GoogleTaskReader.read(file);
    assertThat(s.startMillis()).isEqualTo(GoogleTaskReader.TRACE_START.toEpochMilli() + 300_000);
    assertThat(s.value(Resource.CPU, 0)).isEqualTo(0.02557373046875);
    assertThat(s.value(Resource.MEMORY, 0)).isEqualTo(0.006744384765625001);
    assertThat(s.provisioned(Resource.CPU)).hasValue(0.03643798828125);
  }

  @Test
  @DisplayName("rows out of order and a duplicate window are sorted and de-duplicated (the last row wins)")
  void sortAndDeduplicate() throws IOException {
    Path file = tmp.resolve("t.csv.gz");
    String header = "time,avg_cpu_usage,max_memory_usage,cpu_limit,memory_limit,assigned_memory";
    gzip(file, header + "\n600000000,0.2,0.02,0.5,0.1,0.1\n300000000,0.1,0.01,0.5,0.1,0.1\n"
        + "600000000,0.3,0.03,0.5,0.1,0.1\n900000000,0.4,0.04,0.5,0,0.2\n");
    Series s = GoogleTaskReader.read(file);
    assertThat(s.id()).isEqualTo("google/t");
    assertThat(s.values(Resource.CPU)).containsExactly(0.1, 0.3, 0.4);
    assertThat(s.provisioned(Resource.MEMORY)).hasValue(0.2);
  }

  @Test
  @DisplayName("a missing column and a malformed value fail naming the file and line")
  void malformed() throws IOException {
    Path noColumn = tmp.resolve("a.csv.gz");
    gzip(noColumn, "time,avg_cpu_usage\n1,2\n");
    assertThatThrownBy(() -> GoogleTaskReader.read(noColumn))
        .isInstanceOf(InputDataException.class).hasMessageContaining(noColumn + ":1")
        .hasMessageContaining("max_memory_usage");
    Path bad = tmp.resolve("b.csv.gz");
    gzip(bad, "time,avg_cpu_usage,max_memory_usage,cpu_limit,memory_limit,assigned_memory\n"
        + "300000000,0.1,0.01,0.5,0.1,0.1\n600000000,x,0.01,0.5,0.1,0.1\n");
    assertThatThrownBy(() -> GoogleTaskReader.read(bad))
        .isInstanceOf(InputDataException.class).hasMessageContaining(bad + ":3")
        .hasMessageContaining("avg_cpu_usage");
  }

  private static void gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
