package dev.ratequeue.bootstrap;

import java.io.InterruptedIOException;

/**
 * A request was not allowed to go: its wait would exceed (or did exceed) the resource's max-wait,
 * the coordinator is unreachable under {@code on-coordinator-failure = fail}, or the waiting thread
 * was interrupted. The message names the resource, the limit and the wait.
 *
 * <p>It is an {@link InterruptedIOException}, the exception an HTTP client's callers already handle
 * for a timeout, and one that OkHttp, Apache HttpClient and {@code java.net.http} all decline to
 * retry: retrying would only queue the call again for as long.
 */
public class PermitDeniedException extends InterruptedIOException {
  private static final long serialVersionUID = 1L;

  private final String resource;

  public PermitDeniedException(String resource, String message, Throwable cause) {
    super(message);
    this.resource = resource;
    if (cause != null) {
      initCause(cause);
    }
  }

  /** The resource the call was denied by. */
  public String resource() {
    return resource;
  }
}
