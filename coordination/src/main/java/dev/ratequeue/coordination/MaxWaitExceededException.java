package dev.ratequeue.coordination;

import java.time.Duration;

/**
 * A call would have waited (or did wait) longer than its resource's max-wait. Thrown at once when
 * the predicted wait already exceeds it, so callers fail fast instead of queueing hopelessly.
 */
public final class MaxWaitExceededException extends RateQueueException {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final String limit;
  private final Duration wait;
  private final Duration maxWait;

  public MaxWaitExceededException(String resource, String limit, Duration wait, Duration maxWait, boolean predicted) {
    super("Resource '" + resource + "': " + (predicted ? "predicted wait " : "waited ") + Durations.format(wait)
        + " exceeds max-wait " + Durations.format(maxWait) + " (limited by " + limit + ")");
    this.resource = resource;
    this.limit = limit;
    this.wait = wait;
    this.maxWait = maxWait;
  }

  public String resource() {
    return resource;
  }

  /** The limit that made the call wait, as written in the configuration, e.g. {@code requests = 100/1s}. */
  public String limit() {
    return limit;
  }

  public Duration waitTime() {
    return wait;
  }

  public Duration maxWait() {
    return maxWait;
  }
}
