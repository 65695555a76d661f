package dev.presize.trainer.input;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RegularGridTest {

  @Test
  @DisplayName("rows in file order with a duplicate time: the last row wins the slot")
  void duplicateLastWins() {
    var r = RegularGrid.resample(new long[] {0, 300, 300, 600}, new double[][] {{1, 2, 3, 4}}, 300);
    assertThat(r.columns()[0]).containsExactly(1, 3, 4);
    assertThat(r.duplicates()).isEqualTo(1);
  }

  @Test
  @DisplayName("irregular times go to the nearest slot; unsorted rows are sorted first")
  void irregularToNearestSlot() {
    var r = RegularGrid.resample(new long[] {599, 0, 302}, new double[][] {{3, 1, 2}}, 300);
    assertThat(r.t0()).isZero();
    assertThat(r.columns()[0]).containsExactly(1, 2, 3);
  }

  @Test
  @DisplayName("a gap of up to two missing steps holds the previous value; a longer gap is NaN")
  void gaps() {
    var r = RegularGrid.resample(new long[] {0, 900, 2100}, new double[][] {{1, 2, 3}}, 300);
    assertThat(r.columns()[0]).containsExactly(1, 1, 1, 2, Double.NaN, Double.NaN, Double.NaN, 3);
    assertThat(r.heldSlots()).isEqualTo(2);
    assertThat(r.missingSlots()).isEqualTo(3);
  }
}
