package dev.presize.service;

/** A request refused with an HTTP status and a message naming the field or resource at fault. */
final class HttpError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  HttpError(int status, String message) {
    super(message, null, false, false); // expected control flow: no stack trace
    this.status = status;
  }

  int status() {
    return status;
  }
}
