package dev.presize.spi.function;

/**
 * A serverless function as Presize runs it: one JSON request in, one JSON response out.
 *
 * <p>Every runtime calls it the same way: the local runtime from a command line, OpenWhisk from {@code /run},
 * Knative from an HTTP request, Lambda from its handler. An instance may be invoked many times, one invocation
 * at a time, on any thread. A function that can save and resume its progress also implements
 * {@link dev.presize.spi.checkpoint.Checkpointable}: the runtime may then call {@code snapshot} from another
 * thread while {@link #invoke} runs, and on a new instance {@code restore} before {@code invoke} with the same
 * request, which then continues from the snapshot and returns what an uninterrupted run would have.
 *
 * <p><b>Errors.</b> An {@link IllegalArgumentException} means the request is malformed (the runtime answers
 * it as a client error, naming the field); any other exception is a failure of the function.
 */
@FunctionalInterface
public interface PresizeFunction {

  /** Handles one invocation. {@code requestJson} is a JSON object; the result must be one too. */
  String invoke(String requestJson) throws Exception;
}
