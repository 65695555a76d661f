package dev.presize.spi;

/**
 * The one unchecked exception of Presize: an operation failed, with the operation and resource named.
 *
 * <p>Third-party exceptions are wrapped in it at adapter boundaries. {@link #launder} also restores the
 * interrupt flag when the cause was an {@link InterruptedException}.
 */
public class PresizeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String resource;

  public PresizeException(String operation, String resource, String message, Throwable cause) {
    super(operation + " " + resource + ": " + message, cause);
    this.operation = operation;
    this.resource = resource;
  }

  public PresizeException(String operation, String resource, String message) {
    this(operation, resource, message, null);
  }

  /** What was being done, e.g. {@code "read"}, {@code "select provider"}. */
  public String operation() {
    return operation;
  }

  /** What it was done to, e.g. a path, a function id or a provider kind. */
  public String resource() {
    return resource;
  }

  /**
   * Wraps any throwable with context; a {@code PresizeException} passes through, and an
   * {@link InterruptedException} restores the thread's interrupt flag first.
   */
  public static PresizeException launder(String operation, String resource, Throwable cause) {
    if (cause instanceof PresizeException pe) {
      return pe;
    }
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    String message = cause.getMessage() != null ? cause.getMessage()
        : cause instanceof java.net.ConnectException ? connectFailure(cause)
        : cause.getClass().getSimpleName();
    return new PresizeException(operation, resource, message, cause);
  }

  /** A {@link java.net.ConnectException} without a message of its own (the JDK's HttpClient), said in words. */
  private static String connectFailure(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return "unknown host (ConnectException)";
      }
    }
    return "cannot connect: refused, or nothing listens there (ConnectException)";
  }
}
