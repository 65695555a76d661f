package dev.presize.workloads;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A SHA-256 (FIPS 180-4) digest whose running state can be written and read back, which
 * {@link java.security.MessageDigest} cannot: it lets a long hash be checkpointed between chunks and resumed in
 * another process. Its digests equal {@code MessageDigest.getInstance("SHA-256")}'s.
 */
final class Sha256 {
  private static final int[] K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  };

  private final int[] h = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  };
  private final int[] w = new int[64];
  private final byte[] block = new byte[64];
  private int blockLength;
  private long totalBytes;

  void update(byte[] data, int off, int len) {
    totalBytes += len;
    if (blockLength > 0) {
      int take = Math.min(len, 64 - blockLength);
      System.arraycopy(data, off, block, blockLength, take);
      blockLength += take;
      off += take;
      len -= take;
      if (blockLength < 64) {
        return;
      }
      compress(block, 0);
      blockLength = 0;
    }
    while (len >= 64) {
      compress(data, off);
      off += 64;
      len -= 64;
    }
    System.arraycopy(data, off, block, 0, len);
    blockLength = len;
  }

  /** Finishes the hash; this instance must not be used afterwards. */
  byte[] digest() {
    long bits = totalBytes * 8;
    byte[] pad = new byte[(blockLength < 56 ? 56 : 120) - blockLength + 8];
    pad[0] = (byte) 0x80;
    for (int i = 0; i < 8; i++) {
      pad[pad.length - 1 - i] = (byte) (bits >>> (8 * i));
    }
    update(pad, 0, pad.length);
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      out[4 * i] = (byte) (h[i] >>> 24);
      out[4 * i + 1] = (byte) (h[i] >>> 16);
      out[4 * i + 2] = (byte) (h[i] >>> 8);
      out[4 * i + 3] = (byte) h[i];
    }
    return out;
  }

  long totalBytes() {
    return totalBytes;
  }

  void writeState(DataOutputStream out) throws IOException {
    for (int v : h) {
      out.writeInt(v);
    }
    out.writeLong(totalBytes);
    out.writeInt(blockLength);
    out.write(block, 0, blockLength);
  }

  static Sha256 readState(DataInputStream in) throws IOException {
    Sha256 sha = new Sha256();
    for (int i = 0; i < 8; i++) {
      sha.h[i] = in.readInt();
    }
    sha.totalBytes = in.readLong();
    sha.blockLength = in.readInt();
    if (sha.blockLength < 0 || sha.blockLength >= 64) {
      throw new IllegalArgumentException("corrupt SHA-256 state: block length " + sha.blockLength);
    }
    in.readFully(sha.block, 0, sha.blockLength);
    return sha;
  }

  private void compress(byte[] data, int off) {
    for (int i = 0; i < 16; i++) {
      int p = off + 4 * i;
      w[i] = (data[p] << 24) | ((data[p + 1] & 0xff) << 16) | ((data[p + 2] & 0xff) << 8) | (data[p + 3] & 0xff);
    }
    for (int i = 16; i < 64; i++) {
      int s0 = Integer.rotateRight(w[i - 15], 7) ^ Integer.rotateRight(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      int s1 = Integer.rotateRight(w[i - 2], 17) ^ Integer.rotateRight(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    int a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
      int s1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
      int ch = (e & f) ^ (~e & g);
      int t1 = hh + s1 + ch + K[i] + w[i];
      int s0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
      int maj = (a & b) ^ (a & c) ^ (b & c);
      int t2 = s0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
}
