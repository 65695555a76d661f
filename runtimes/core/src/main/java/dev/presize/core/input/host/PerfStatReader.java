package dev.presize.core.input.host;

import dev.presize.core.input.BackgroundErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The loop that reads {@code perf stat -I <ms> -x,} output line by line and adds each interval's counts into
 * {@link PerfCounters}. Runs on its own daemon thread; allocation here is fine (it is not the sampler thread).
 */
final class PerfStatReader implements Runnable {

  private static final System.Logger LOG = System.getLogger("dev.presize.core.input.host");
  private static final int KEPT_OTHER_LINES = 5;

  private final InputStream output;
  private final PerfCounters counters;
  private final BackgroundErrors errors;
  private final String sourceName;
  private final Deque<String> otherLines = new ArrayDeque<>();
  private volatile long linesParsed;
  private volatile boolean finished;
  private boolean warnedUnsupported;

  PerfStatReader(InputStream output, PerfCounters counters, BackgroundErrors errors, String sourceName) {
    this.output = output;
    this.counters = counters;
    this.errors = errors;
    this.sourceName = sourceName;
  }

  @Override
  public void run() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        accept(line);
      }
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt(); // closed on purpose; the flag tells the owner we stopped
    } catch (IOException e) {
      if (!Thread.currentThread().isInterrupted()) {
        errors.record("read perf output", e);
      }
    } catch (RuntimeException | Error e) {
      errors.record("parse perf output", e);
    } finally {
      finished = true;
    }
  }

  /** Applies one line of perf output. */
  void accept(String line) {
    PerfStatLine parsed = PerfStatLine.parse(line, true);
    if (parsed == null) {
      keep(line);
      return;
    }
    int index = PerfCounters.indexOf(parsed.event());
    if (index < 0) {
      return; // an event we did not ask for (perf may add one); harmless
    }
    linesParsed++;
    switch (parsed.state()) {
      case COUNTED -> counters.add(index, parsed.value());
      case NOT_COUNTED -> {
        // Not scheduled during this interval (counter multiplexing or the task was not running): adds nothing.
      }
      case NOT_SUPPORTED -> {
        counters.markUnsupported(index);
        if (!warnedUnsupported) {
          warnedUnsupported = true;
          LOG.log(System.Logger.Level.WARNING, "source=" + sourceName + " event=" + parsed.event()
              + " state=not-supported action=not-reported");
        }
      }
    }
  }

  private synchronized void keep(String line) {
    if (line.isBlank()) {
      return;
    }
    if (otherLines.size() == KEPT_OTHER_LINES) {
      otherLines.removeFirst();
    }
    otherLines.addLast(line.strip());
  }

  /** The last few lines that were not counter lines (perf's warnings and errors), for diagnostics. */
  synchronized List<String> otherLines() {
    return new ArrayList<>(otherLines);
  }

  long linesParsed() {
    return linesParsed;
  }

  boolean finished() {
    return finished;
  }
}
