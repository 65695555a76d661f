package dev.presize.spi.checkpoint;

import dev.presize.spi.resources.ResourceProfile;
import java.time.Instant;
import java.util.Objects;

/**
 * A request to checkpoint one invocation now.
 *
 * @param functionId the function
 * @param invocationId the invocation
 * @param trigger why
 * @param profile the resource profile in force, recorded in the manifest
 * @param metricsFrom start of the metrics window to store with the checkpoint
 */
public record CheckpointRequest(String functionId, String invocationId, CheckpointTrigger trigger,
    ResourceProfile profile, Instant metricsFrom) {

  public CheckpointRequest {
    Objects.requireNonNull(functionId, "functionId");
    Objects.requireNonNull(invocationId, "invocationId");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(metricsFrom, "metricsFrom");
  }
}
