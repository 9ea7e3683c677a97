package dev.ratequeue.bootstrap;

/**
 * The permit of one request on the wire. Closing it ends its concurrency lease; closing twice is
 * harmless. Instrumented code closes it when the response is finished: body closed or read to the
 * end, or the call failed or was cancelled.
 */
public interface CallPermit extends AutoCloseable {
  /** A permit that limits nothing, for calls the agent lets through. */
  CallPermit NONE = new CallPermit() {
    @Override
    public void responded(int status, String retryAfter) {}

    @Override
    public void close() {}
  };

  /**
   * The upstream answered {@code status}, with this {@code Retry-After} header value (or
   * {@code null}). A 429, or a 503 with Retry-After, pauses the resource for every JVM. Never blocks.
   */
  void responded(int status, String retryAfter);

  @Override
  void close();
}
