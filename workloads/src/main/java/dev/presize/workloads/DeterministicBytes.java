package dev.presize.workloads;

/**
 * A position-addressable pseudo-random byte stream: byte {@code p} of the stream for {@code seed} is a pure
 * function of {@code (seed, p)}, so the loopback server and the functions that verify its bytes generate the same
 * stream independently, in any chunking.
 */
final class DeterministicBytes {
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private DeterministicBytes() {}

  /** Fills {@code buf[off, off+len)} with stream bytes {@code [position, position+len)}. */
  static void fill(long seed, long position, byte[] buf, int off, int len) {
    // Head: byte by byte up to a word boundary of the stream.
    int head = (int) Math.min(len, (8 - (position & 7)) & 7);
    fillBytes(seed, position, buf, off, head);
    position += head;
    off += head;
    len -= head;
    // Body: whole words, little-endian, so byte p is bits 8*(p%8) of word p/8 as in fillBytes.
    long word = position >>> 3;
    int words = len >>> 3;
    for (int i = 0; i < words; i++) {
      LONGS.set(buf, off + 8 * i, wordAt(seed, word + i));
    }
    int body = words << 3;
    fillBytes(seed, position + body, buf, off + body, len - body);
  }

  private static void fillBytes(long seed, long position, byte[] buf, int off, int len) {
    if (len == 0) {
      return;
    }
    long word = position >>> 3;
    int shift = (int) (position & 7) * 8;
    long value = wordAt(seed, word);
    for (int i = 0; i < len; i++) {
      buf[off + i] = (byte) (value >>> shift);
      shift += 8;
      if (shift == 64) {
        shift = 0;
        value = wordAt(seed, ++word);
      }
    }
  }

  /** Returns stream bytes {@code [0, length)} as a new array. */
  static byte[] generate(long seed, int length) {
    byte[] out = new byte[length];
    fill(seed, 0, out, 0, length);
    return out;
  }

  private static long wordAt(long seed, long word) {
    return Rng.mix(seed + word * 0x9E3779B97F4A7C15L);
  }
}
