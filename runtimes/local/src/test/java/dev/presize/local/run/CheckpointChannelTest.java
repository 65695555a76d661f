package dev.presize.local.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.resources.ResourceProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointChannelTest {

  @Test
  @DisplayName("a request reaches the function side with its trigger, profile and metrics, and the reply comes back")
  void roundTrip(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("c.sock");
    AtomicReference<CheckpointChannel.Request> seen = new AtomicReference<>();
    CheckpointChannel.serve(socket, r -> {
      seen.set(r);
      return new CheckpointChannel.Reply(7, 1234, Duration.ofMillis(12));
    });
    CheckpointChannel.Reply reply = CheckpointChannel.request(socket, CheckpointTrigger.CONTENTION,
        ResourceProfile.of(1500, 300L << 20), Map.of("memory.peak-bytes", "42", "reason", "p exceed"),
        Duration.ofSeconds(5));
    assertThat(reply).isEqualTo(new CheckpointChannel.Reply(7, 1234, Duration.ofMillis(12)));
    assertThat(seen.get().trigger()).isEqualTo(CheckpointTrigger.CONTENTION);
    assertThat(seen.get().profile()).isEqualTo(ResourceProfile.of(1500, 300L << 20));
    assertThat(seen.get().metrics()).containsEntry("memory.peak-bytes", "42").containsEntry("reason", "p_exceed");
  }

  @Test
  @DisplayName("a function that cannot checkpoint, a slow one and a missing one are clear IOExceptions")
  void failures(@TempDir Path dir) throws Exception {
    Path refusing = dir.resolve("r.sock");
    CheckpointChannel.serve(refusing, r -> {
      throw new IllegalStateException("workload x is not checkpointable");
    });
    assertThatThrownBy(() -> CheckpointChannel.request(refusing, CheckpointTrigger.SCHEDULE,
        ResourceProfile.of(100, 1L << 20), Map.of(), Duration.ofSeconds(5)))
        .isInstanceOf(IOException.class).hasMessageContaining("not checkpointable");
    Path slow = dir.resolve("s.sock");
    CheckpointChannel.serve(slow, r -> {
      Thread.sleep(5_000);
      return new CheckpointChannel.Reply(1, 1, Duration.ZERO);
    });
    assertThatThrownBy(() -> CheckpointChannel.request(slow, CheckpointTrigger.SCHEDULE,
        ResourceProfile.of(100, 1L << 20), Map.of(), Duration.ofMillis(200)))
        .isInstanceOf(IOException.class).hasMessageContaining("no checkpoint within");
    assertThatThrownBy(() -> CheckpointChannel.request(dir.resolve("none.sock"), CheckpointTrigger.SCHEDULE,
        ResourceProfile.of(100, 1L << 20), Map.of(), Duration.ofSeconds(1))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> CheckpointChannel.parse("checkpoint NOPE 1 2"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckpointChannel.parse("snapshot please")).hasMessageContaining("expected");
  }
}
