package dev.presize.core.input.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child processes for tests, always destroyed (with their descendants) when closed. */
public final class Children implements AutoCloseable {

  public final Process process;

  private Children(Process process) {
    this.process = process;
  }

  public static Children start(String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
    return new Children(pb.start());
  }

  public static Children sh(String script) throws IOException {
    return start("/bin/sh", "-c", script);
  }

  /** The java launcher of this JVM. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
