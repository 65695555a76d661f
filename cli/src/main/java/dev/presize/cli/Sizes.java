package dev.presize.cli;

/** CPU amounts as a user writes them in options: {@code 1500m}, {@code 2} (sizes: {@code Quantities.formatBytes}). */
final class Sizes {

  private Sizes() {}

  /** Millicores as cores when whole ({@code 2}), else as millicores ({@code 1500m}). */
  static String cpu(long millicores) {
    return millicores % 1000 == 0 ? Long.toString(millicores / 1000) : millicores + "m";
  }
}
