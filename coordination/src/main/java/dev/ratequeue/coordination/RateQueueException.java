package dev.ratequeue.coordination;

/** Root of every exception RateQueue throws on purpose, so callers can catch ours and only ours. */
public class RateQueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RateQueueException(String message) {
    super(message);
  }

  public RateQueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
