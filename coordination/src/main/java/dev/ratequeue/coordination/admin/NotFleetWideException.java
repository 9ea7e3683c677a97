package dev.ratequeue.coordination.admin;

import dev.ratequeue.coordination.RateQueueException;

/** The {@code local} coordinator keeps each JVM's limits inside that JVM: there is no fleet to show or steer. */
public final class NotFleetWideException extends RateQueueException {
  private static final long serialVersionUID = 1L;

  public NotFleetWideException() {
    super("The coordinator is 'local': each JVM limits only itself and nothing is shared to show or change; "
        + "set ratequeue.coordinator (or --coordinator) to the fleet's redis:// URL");
  }
}
