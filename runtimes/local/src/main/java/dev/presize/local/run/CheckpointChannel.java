package dev.presize.local.run;

import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.resources.ResourceProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How {@code presize run} asks a hosted function in another process to checkpoint itself: one line over a Unix
 * domain socket, one line back.
 *
 * <pre>
 * request:  checkpoint TRIGGER CPU_MILLICORES MEMORY_BYTES [KEY=VALUE ...]   (metrics of the window, no spaces)
 * reply:    ok SEQUENCE STATE_BYTES COST_NANOS
 *       or  error MESSAGE
 * </pre>
 * The function side ({@link #serve}) runs one daemon thread that answers requests one at a time; the controller
 * side ({@link #request}) waits for the reply with a timeout (the snapshot is taken at the function's next step
 * boundary).
 */
public final class CheckpointChannel {

  private CheckpointChannel() {}

  /** A checkpoint request as the function side receives it. */
  public record Request(CheckpointTrigger trigger, ResourceProfile profile, Map<String, String> metrics) {}

  /** What the function side answers. */
  public record Reply(long sequence, long stateBytes, Duration cost) {}

  /** The function side's handler of one request. */
  @FunctionalInterface
  public interface Handler {
    Reply checkpoint(Request request) throws Exception;
  }

  /**
   * Listens on {@code socket} (created; removed when the JVM exits) and answers requests with {@code handler} on a
   * daemon thread.
   */
  public static void serve(Path socket, Handler handler) throws IOException {
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    socket.toFile().deleteOnExit();
    Thread t = new Thread(() -> {
      while (server.isOpen()) {
        try (SocketChannel client = server.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
              StandardCharsets.UTF_8));
          OutputStream out = Channels.newOutputStream(client);
          String line = in.readLine();
          String reply;
          try {
            Reply r = handler.checkpoint(parse(line));
            reply = "ok " + r.sequence() + " " + r.stateBytes() + " " + r.cost().toNanos();
          } catch (Exception | Error e) {
            reply = "error " + String.valueOf(e.getMessage()).replace('\n', ' ');
          }
          out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (IOException e) {
          if (!server.isOpen()) {
            return;
          }
        }
      }
    }, "presize-checkpoint-channel");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Asks the function listening on {@code socket} to checkpoint.
   *
   * @throws IOException when it cannot be reached, answers with an error, or not within {@code timeout}
   */
  public static Reply request(Path socket, CheckpointTrigger trigger, ResourceProfile profile,
      Map<String, String> metrics, Duration timeout) throws IOException {
    StringBuilder line = new StringBuilder("checkpoint ").append(trigger.name()).append(' ')
        .append(profile.cpuMillicores()).append(' ').append(profile.memoryBytes());
    metrics.forEach((k, v) -> line.append(' ').append(k.replace(' ', '_')).append('=').append(v.replace(' ', '_')));
    ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "presize-checkpoint-request");
      t.setDaemon(true);
      return t;
    });
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      Future<String> answer = exec.submit(() -> {
        OutputStream out = Channels.newOutputStream(ch);
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))
            .readLine();
      });
      String reply;
      try {
        reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        answer.cancel(true);
        throw new IOException("no checkpoint within " + timeout + " from the function at " + socket);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("checkpoint request to " + socket + " failed: " + e.getCause().getMessage(),
            e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for a checkpoint", e);
      }
      return parseReply(reply, socket);
    } finally {
      exec.shutdownNow();
    }
  }

  static Request parse(String line) {
    if (line == null) {
      throw new IllegalArgumentException("empty request");
    }
    String[] f = line.trim().split(" ");
    if (f.length < 4 || !f[0].equals("checkpoint")) {
      throw new IllegalArgumentException("expected 'checkpoint TRIGGER CPU_MILLICORES MEMORY_BYTES [K=V...]', got '"
          + line + "'");
    }
    Map<String, String> metrics = new LinkedHashMap<>();
    for (int i = 4; i < f.length; i++) {
      int eq = f[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("metric '" + f[i] + "' is not KEY=VALUE");
      }
      metrics.put(f[i].substring(0, eq), f[i].substring(eq + 1));
    }
    return new Request(CheckpointTrigger.valueOf(f[1]), ResourceProfile.of(Long.parseLong(f[2]),
        Long.parseLong(f[3])), metrics);
  }

  static Reply parseReply(String reply, Path socket) throws IOException {
    Objects.requireNonNull(socket, "socket");
    if (reply == null) {
      throw new IOException("the function at " + socket + " closed the channel without answering (did it exit?)");
    }
    if (reply.startsWith("error ")) {
      throw new IOException("the function refused to checkpoint: " + reply.substring(6));
    }
    String[] f = reply.split(" ");
    if (f.length != 4 || !f[0].equals("ok")) {
      throw new IOException("malformed checkpoint reply '" + reply + "' from " + socket);
    }
    return new Reply(Long.parseLong(f[1]), Long.parseLong(f[2]), Duration.ofNanos(Long.parseLong(f[3])));
  }
}
