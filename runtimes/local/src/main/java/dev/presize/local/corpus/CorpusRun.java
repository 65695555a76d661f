package dev.presize.local.corpus;

import java.util.Objects;

/**
 * One recorded run of a corpus, as its manifest lists it.
 *
 * @param id unique within the corpus, e.g. {@code matrix-multiply-s256-r0}
 * @param workload the workload (function) name
 * @param size its input size, in the workload's unit
 * @param seed the seed of its generated input
 * @param repeat 0, 1, ... for repetitions of the same size
 * @param trace the trace file, relative to the corpus directory
 * @param output the run's stdout and stderr, relative to the corpus directory
 * @param exitCode the command's exit code
 * @param durationSeconds first to last sample
 * @param peakRssBytes peak RSS of the process tree
 * @param cpuSeconds CPU time of the process tree
 * @param recordedAt ISO-8601 time the recording finished
 */
public record CorpusRun(String id, String workload, long size, long seed, int repeat, String trace, String output,
    int exitCode, double durationSeconds, long peakRssBytes, double cpuSeconds, String recordedAt) {

  public CorpusRun {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(recordedAt, "recordedAt");
    if (size < 0 || repeat < 0) {
      throw new IllegalArgumentException("run " + id + ": size and repeat must be >= 0, were " + size + ", " + repeat);
    }
  }
}
