package dev.ratequeue.coordination.admin;

import dev.ratequeue.coordination.RateQueueException;

/** The coordinator holds no limits for the resource: no JVM has used it (or they were flushed). */
public final class UnknownResourceException extends RateQueueException {
  private static final long serialVersionUID = 1L;
  private final String resource;

  public UnknownResourceException(String resource, String coordinator) {
    super("Unknown resource '" + resource + "': coordinator " + coordinator
        + " holds no limits for it (a resource is known once a JVM has used it)");
    this.resource = resource;
  }

  public String resource() {
    return resource;
  }
}
