package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PressureReaderTest {

  @Test
  @DisplayName("reads some avg10 of cpu, memory and io from this host's /proc/pressure")
  void realHost() {
    assumeTrue(Files.isReadable(Path.of("/proc/pressure/cpu")), "this kernel has no /proc/pressure (PSI off)");
    PressureSample s = new PressureReader(Path.of("/proc/pressure")).read();
    assertThat(s.cpuSomePercent()).isBetween(0.0, 100.0);
    assertThat(s.memorySomePercent()).isBetween(0.0, 100.0);
    assertThat(s.ioSomePercent()).isBetween(0.0, 100.0);
  }

  @Test
  @DisplayName("parsing is robust: full line first, extra spaces, no newline, cpu without full; junk and absence give NaN")
  void robustParsing(@TempDir Path dir) throws Exception {
    assertThat(PressureReader.parseSomeAvg10("full avg10=9.00 avg60=0 avg300=0 total=0\n"
        + "some  avg10=12.50   avg60=3 avg300=1 total=77")).isEqualTo(12.5);
    assertThat(PressureReader.parseSomeAvg10("some total=5 avg10=0.31\n")).isEqualTo(0.31);
    assertThat(PressureReader.parseSomeAvg10("some avg10=abc avg60=1")).isNaN();
    assertThat(PressureReader.parseSomeAvg10("")).isNaN();
    assertThat(PressureReader.parseSomeAvg10("some avg10=250.0")).isEqualTo(100);
    Files.writeString(dir.resolve("cpu"), "some avg10=4.00 avg60=8.11 avg300=9.61 total=1045652822\n");
    Files.writeString(dir.resolve("io"), "garbage\n");
    PressureSample s = new PressureReader(dir).read();
    assertThat(s.cpuSomePercent()).isEqualTo(4.0);
    assertThat(s.memorySomePercent()).isNaN(); // missing file
    assertThat(s.ioSomePercent()).isNaN();
    assertThat(s.maxPercent()).isEqualTo(4.0);
  }
}
