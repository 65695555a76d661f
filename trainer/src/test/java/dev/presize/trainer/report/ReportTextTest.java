package dev.presize.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Resource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReportTextTest {

  @Test
  @DisplayName("escape makes text safe in HTML elements and quoted attributes")
  void escape() {
    assertThat(Text.escape("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    assertThat(Text.escape("bell\u0007")).isEqualTo("bell&#xFFFD;");
  }

  @Test
  @DisplayName("fractions read as percentages that keep small shares visible")
  void percent() {
    assertThat(Text.percent(0.9123)).isEqualTo("91.2 %");
    assertThat(Text.percent(0.0009)).isEqualTo("0.09 %");
    assertThat(Text.percent(0.0)).isEqualTo("0 %");
    assertThat(Text.percent(1.0)).isEqualTo("100 %");
    assertThat(Text.percent(0.9997)).isEqualTo("99.97 %");
    assertThat(Text.percent(0.999999)).isEqualTo("> 99.99 %");
    assertThat(Text.percent(0.5)).isEqualTo("50.0 %");
    assertThat(Text.percent(1e-6)).isEqualTo("< 0.01 %");
    assertThat(Text.percent(-0.751)).isEqualTo("-75.1 %");
    assertThat(Text.percent(Double.NaN)).isEqualTo(Text.MISSING);
  }

  @Test
  @DisplayName("numbers have about three significant digits and grouped thousands")
  void number() {
    assertThat(Text.number(123456.7)).isEqualTo("123,457");
    assertThat(Text.number(633.7)).isEqualTo("634");
    assertThat(Text.number(12.34)).isEqualTo("12.3");
    assertThat(Text.number(1.234)).isEqualTo("1.23");
    assertThat(Text.number(0.01234)).isEqualTo("0.012");
    assertThat(Text.number(0.0000123)).isEqualTo("1.23e-05");
    assertThat(Text.number(Double.POSITIVE_INFINITY)).isEqualTo(Text.MISSING);
  }

  @Test
  @DisplayName("units follow the largest value: GiB/MiB/KiB for memory, MB/s or kB/s for rates, cores for CPU")
  void units() {
    assertThat(DisplayUnit.of(Resource.MEMORY, 3.0 * (1 << 30)).label()).isEqualTo("GiB");
    assertThat(DisplayUnit.of(Resource.MEMORY, 300.0 * (1 << 20)).label()).isEqualTo("MiB");
    assertThat(DisplayUnit.of(Resource.MEMORY, 3000).label()).isEqualTo("KiB");
    assertThat(DisplayUnit.of(Resource.MEMORY, Double.NaN).label()).isEqualTo("MiB");
    assertThat(DisplayUnit.of(Resource.CPU, 0.05).label()).isEqualTo("cores");
    assertThat(DisplayUnit.of(Resource.NETWORK, 2e6).scale(2e6)).isEqualTo(2.0);
    assertThat(DisplayUnit.of(Resource.DISK, 2e3).label()).isEqualTo("kB/s");
  }

  @Test
  @DisplayName("file names keep [A-Za-z0-9._-] only")
  void fileSafe() {
    assertThat(Text.fileSafe("bitbrains/17", 60)).isEqualTo("bitbrains_17");
    assertThat(Text.fileSafe("../<x>", 60)).isEqualTo("x_");
    assertThat(Text.fileSafe("///", 60)).isEqualTo("x");
    assertThat(Text.fileSafe("abcdef", 3)).isEqualTo("abc");
  }
}
