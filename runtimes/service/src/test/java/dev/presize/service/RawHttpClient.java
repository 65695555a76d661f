package dev.presize.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal HTTP/1.1 client for the load generator: one keep-alive connection that sends the same pre-encoded
 * {@code POST} (request line, headers and body in one array, one write) and reads each response completely into
 * a reused buffer, parsing only the status code and {@code Content-Length}. Not thread-safe: one per thread.
 */
final class RawHttpClient implements AutoCloseable {

  private static final byte[] CONTENT_LENGTH = "\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final byte[] request;
  private byte[] buf = new byte[64 * 1024];

  RawHttpClient(URI uri, String contentType, byte[] body) throws IOException {
    String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
        + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    request = Arrays.copyOf(h, h.length + body.length);
    System.arraycopy(body, 0, request, h.length, body.length);
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /**
   * Sends the request and reads the whole response.
   *
   * @return the status code
   * @throws IOException the connection failed or the response is not a fixed-length HTTP/1.1 response
   */
  int post() throws IOException {
    out.write(request);
    out.flush();
    int n = 0;
    int headerEnd = -1;
    while (headerEnd < 0) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, n * 2);
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        throw new IOException("the server closed the connection after " + n + " bytes of a response");
      }
      int from = Math.max(0, n - 3);
      n += r;
      headerEnd = headerEnd(buf, from, n);
    }
    int status = status(buf, headerEnd);
    int length = contentLength(buf, headerEnd);
    int total = headerEnd + length;
    if (buf.length < total) {
      buf = Arrays.copyOf(buf, total);
    }
    while (n < total) {
      int r = in.read(buf, n, total - n);
      if (r < 0) {
        throw new IOException("the server closed the connection after " + n + " of " + total + " bytes");
      }
      n += r;
    }
    if (n != total) {
      throw new IOException("read " + (n - total) + " bytes past the response (no pipelining here)");
    }
    return status;
  }

  /** The index just past {@code \r\n\r\n} in {@code b[from..to)}, or -1. */
  private static int headerEnd(byte[] b, int from, int to) {
    for (int i = from; i + 3 < to; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  private static int status(byte[] b, int headerEnd) throws IOException {
    if (headerEnd < 12 || b[0] != 'H' || b[8] != ' ') {
      throw new IOException("not an HTTP/1.x status line: " + new String(b, 0, Math.min(headerEnd, 40),
          StandardCharsets.ISO_8859_1));
    }
    return (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
  }

  private static int contentLength(byte[] b, int headerEnd) throws IOException {
    byte[] name = CONTENT_LENGTH;
    outer:
    for (int i = 0; i + name.length < headerEnd; i++) {
      for (int k = 0; k < name.length; k++) {
        if (Character.toLowerCase(b[i + k]) != name[k]) {
          continue outer;
        }
      }
      int v = 0;
      int j = i + name.length;
      while (b[j] == ' ') {
        j++;
      }
      while (b[j] >= '0' && b[j] <= '9') {
        v = v * 10 + (b[j++] - '0');
      }
      return v;
    }
    throw new IOException("the response has no Content-Length (chunked responses are not read here)");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
