package dev.presize.core.input.proc;

import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child process for tests that uses a known amount of one resource and prints what it used.
 *
 * <ul>
 *   <li>{@code memory MIB}: allocates and touches MIB mebibytes, holds them 300 ms
 *   <li>{@code cpu MILLIS}: burns MILLIS of this thread's CPU time
 *   <li>{@code memory-cpu MIB MILLIS}: touches MIB mebibytes, then burns MILLIS of CPU while holding them
 *   <li>{@code ramp MIB RATE}: touches MIB mebibytes at RATE MiB/s (1 MiB at a time, on a schedule), holds them 300 ms
 *   <li>{@code disk BYTES PATH}: writes BYTES to PATH, fsyncs, reads them back
 *   <li>{@code net BYTES}: after a byte on stdin, sends BYTES to itself over loopback TCP
 * </ul>
 * At the end it prints {@code cpuNanos=<process CPU time>}.
 */
public final class Hog {

  private Hog() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "memory" -> {
        byte[][] blocks = touch(Integer.parseInt(args[1]));
        Thread.sleep(300);
        System.out.println("held=" + blocks.length);
      }
      case "memory-cpu" -> {
        byte[][] blocks = touch(Integer.parseInt(args[1]));
        System.out.println("x=" + burn(Long.parseLong(args[2])) + " held=" + blocks.length);
      }
      case "ramp" -> {
        int mib = Integer.parseInt(args[1]);
        long nanosPerMib = 1_000_000_000L / Integer.parseInt(args[2]);
        byte[][] blocks = new byte[mib][];
        long start = System.nanoTime();
        for (int i = 0; i < mib; i++) {
          long wait = start + i * nanosPerMib - System.nanoTime();
          if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
          }
          blocks[i] = new byte[1 << 20];
          for (int p = 0; p < blocks[i].length; p += 4096) {
            blocks[i][p] = (byte) (i + p);
          }
        }
        Thread.sleep(300);
        System.out.println("held=" + blocks.length);
      }
      case "cpu" -> System.out.println("x=" + burn(Long.parseLong(args[1])));
      case "disk" -> {
        long bytes = Long.parseLong(args[1]);
        Path path = Path.of(args[2]);
        byte[] block = new byte[1 << 16];
        try (FileOutputStream out = new FileOutputStream(path.toFile())) {
          for (long done = 0; done < bytes; done += block.length) {
            out.write(block, 0, (int) Math.min(block.length, bytes - done));
          }
          out.getFD().sync();
        }
        long read = 0;
        try (InputStream in = Files.newInputStream(path)) {
          int n;
          while ((n = in.read(block)) > 0) {
            read += n;
          }
        }
        System.out.println("read=" + read);
      }
      case "net" -> {
        long bytes = Long.parseLong(args[1]);
        System.in.read(); // wait until the test has attached its sources
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          Thread reader = new Thread(() -> {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
              byte[] b = new byte[1 << 16];
              while (in.read(b) > 0) {
                // drain
              }
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          });
          reader.start();
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
              OutputStream out = s.getOutputStream()) {
            byte[] b = new byte[1 << 16];
            for (long done = 0; done < bytes; done += b.length) {
              out.write(b, 0, (int) Math.min(b.length, bytes - done));
            }
          }
          reader.join();
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    Thread.sleep(50); // let the sampler see the final state
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.println("cpuNanos=" + os.getProcessCpuTime());
  }

  /** Allocates {@code mib} MiB and writes a byte of every page, so all of it is resident. */
  private static byte[][] touch(int mib) {
    byte[][] blocks = new byte[mib][];
    for (int i = 0; i < mib; i++) {
      blocks[i] = new byte[1 << 20];
      for (int p = 0; p < blocks[i].length; p += 4096) {
        blocks[i][p] = (byte) (i + p);
      }
    }
    return blocks;
  }

  private static long burn(long millis) {
    var threads = ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    long x = 0;
    while (threads.getCurrentThreadCpuTime() - start < millis * 1_000_000L) {
      for (int i = 0; i < 100_000; i++) {
        x += i * 31L ^ x;
      }
    }
    return x;
  }

  /** The command that runs this class in a new JVM. */
  public static String[] command(String... args) {
    String[] cmd = new String[4 + args.length];
    cmd[0] = Children.java();
    cmd[1] = "-Xmx1g";
    cmd[2] = "-cp";
    cmd[3] = System.getProperty("java.class.path");
    System.arraycopy(args, 0, cmd, 4, args.length);
    String[] withMain = new String[cmd.length + 1];
    System.arraycopy(cmd, 0, withMain, 0, 4);
    withMain[4] = Hog.class.getName();
    System.arraycopy(args, 0, withMain, 5, args.length);
    return withMain;
  }
}
