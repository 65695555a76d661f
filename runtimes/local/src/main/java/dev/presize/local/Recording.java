package dev.presize.local;

import dev.presize.core.sampling.SamplerStats;
import dev.presize.core.trace.RecordingSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one recorded run.
 *
 * @param exitCode the command's exit code (128 + signal when killed by a signal)
 * @param trace the trace file written
 * @param summary what the run used
 * @param stats how the sampler kept time (achieved interval, overruns, source errors)
 * @param droppedSamples samples the trace writer could not keep up with (should be 0)
 * @param sources family to the source that sampled it
 * @param unavailable family to why it could not be sampled here
 * @param cgroup the group the command ran in, or why none
 * @param warnings anything the user should know (e.g. provider ties)
 */
public record Recording(int exitCode, Path trace, RecordingSummary summary, SamplerStats stats, long droppedSamples,
    Map<String, String> sources, Map<String, String> unavailable, Optional<String> cgroup, List<String> warnings) {}
