package dev.ratequeue.coordination;

/** The coordinator cannot be reached and the resource's failure policy is {@code fail}. */
public final class CoordinatorUnavailableException extends RateQueueException {
  private static final long serialVersionUID = 1L;

  public CoordinatorUnavailableException(String resource, String coordinator, Throwable cause) {
    super("Resource '" + resource + "': coordinator " + coordinator
        + " is unreachable and on-coordinator-failure = fail", cause);
  }
}
