package dev.ratequeue.bootstrap;

import java.util.function.Function;

/**
 * The permit of one request on the wire. Closing it ends its concurrency lease; closing twice is
 * harmless. Instrumented code closes it when the response is finished: body closed or read to the
 * end, or the call failed or was cancelled.
 */
public interface CallPermit extends AutoCloseable {
  /** A permit that limits nothing, for calls the agent lets through. */
  CallPermit NONE = new CallPermit() {
    @Override
    public int responded(int status, Function<String, String> headers) {
      return 0;
    }

    @Override
    public void bodyEnded(BodyTail tail) {}

    @Override
    public void close() {}
  };

  /**
   * The upstream answered {@code status}; {@code headers} gives the first value of a response header
   * by name (any case), or {@code null}. A 429, or a 503 with Retry-After, pauses the resource for
   * every JVM; rate-limit headers may hold it back. Never blocks.
   *
   * @return how many bytes of the end of the body {@link #bodyEnded} wants (0: it need not be called)
   */
  int responded(int status, Function<String, String> headers);

  /**
   * The body was read to its end, or closed after some of it was read (a JSON parser stops at the value's
   * last byte and never asks for the end of the stream); {@code tail} holds the last bytes read (see
   * {@link #responded}). Only the first call counts.
   */
  void bodyEnded(BodyTail tail);

  @Override
  void close();
}
