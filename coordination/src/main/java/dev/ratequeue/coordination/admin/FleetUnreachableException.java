package dev.ratequeue.coordination.admin;

import dev.ratequeue.coordination.RateQueueException;

/** The coordinator did not answer an admin in time. The message names it without credentials. */
public final class FleetUnreachableException extends RateQueueException {
  private static final long serialVersionUID = 1L;

  public FleetUnreachableException(String coordinator, String reason, Throwable cause) {
    super("Coordinator " + coordinator + " is unreachable: " + reason, cause);
  }
}
