package dev.presize.spi.checkpoint;

import dev.presize.spi.resources.ResourceProfile;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What is recorded with every checkpoint, so it can be verified, restored and learned from.
 *
 * @param functionId the function
 * @param invocationId the invocation checkpointed
 * @param sequence 1, 2, ... within the invocation
 * @param takenAt when the checkpoint was taken
 * @param trigger why
 * @param profile the resource profile in force
 * @param stateBytes size of the state
 * @param stateSha256 lower-case hex SHA-256 of the state, verified on every read
 * @param metricsFrom start of the metrics window stored with it (the previous checkpoint, or invocation start)
 * @param attributes anything else (checkpointer name, trace file of the metrics window, ...)
 */
public record CheckpointManifest(String functionId, String invocationId, long sequence, Instant takenAt,
    CheckpointTrigger trigger, ResourceProfile profile, long stateBytes, String stateSha256, Instant metricsFrom,
    Map<String, String> attributes) {

  public CheckpointManifest {
    Objects.requireNonNull(functionId, "functionId");
    Objects.requireNonNull(invocationId, "invocationId");
    Objects.requireNonNull(takenAt, "takenAt");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(stateSha256, "stateSha256");
    Objects.requireNonNull(metricsFrom, "metricsFrom");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
    }
    if (stateBytes < 0) {
      throw new IllegalArgumentException("stateBytes must be >= 0, was " + stateBytes);
    }
    if (!stateSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("stateSha256 must be 64 lower-case hex digits, was '" + stateSha256 + "'");
    }
    attributes = Map.copyOf(attributes);
  }

  /** A short name for messages: {@code function/invocation#sequence}. */
  public String id() {
    return functionId + "/" + invocationId + "#" + sequence;
  }
}
