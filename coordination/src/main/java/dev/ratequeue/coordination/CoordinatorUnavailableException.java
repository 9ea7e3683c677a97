package dev.ratequeue.coordination;

/**
 * The coordinator cannot be reached: thrown by acquires when the resource's failure policy is
 * {@code fail}, and by the operations only the coordinator can answer (snapshot, pause, limits).
 */
public final class CoordinatorUnavailableException extends RateQueueException {
  private static final long serialVersionUID = 1L;

  public CoordinatorUnavailableException(String resource, String coordinator, FailurePolicy policy, Throwable cause) {
    super("Resource '" + resource + "': coordinator " + coordinator + " is unreachable"
        + (policy == FailurePolicy.FAIL ? " and on-coordinator-failure = fail" : ""), cause);
  }
}
