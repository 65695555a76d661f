package dev.presize.adapter.cgroups.host;

/**
 * A child process for the real-cgroup tests: touches {@code args[0]} MiB, prints {@code ready}, burns CPU for
 * {@code args[1]} ms, then holds its memory until its stdin closes.
 */
public final class Hog {

  private Hog() {}

  public static void main(String[] args) throws Exception {
    int mebibytes = Integer.parseInt(args[0]);
    long burnNanos = Long.parseLong(args[1]) * 1_000_000L;
    byte[][] keep = new byte[mebibytes][];
    for (int i = 0; i < mebibytes; i++) {
      keep[i] = new byte[1 << 20];
      for (int j = 0; j < keep[i].length; j += 4096) {
        keep[i][j] = 1;
      }
    }
    System.out.println("ready");
    System.out.flush();
    long end = System.nanoTime() + burnNanos;
    long x = 1;
    while (System.nanoTime() - end < 0) {
      x = x * 31 + 7;
    }
    while (System.in.read() >= 0) {
      // hold the memory until the parent closes our stdin
    }
    System.out.println(x + keep.length);
  }
}
