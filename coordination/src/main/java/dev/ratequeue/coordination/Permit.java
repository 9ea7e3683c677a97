package dev.ratequeue.coordination;

/**
 * The right to make one call. Closing it ends the call's concurrency lease (if the resource has a
 * concurrency limit); closing twice is harmless. A permit that is never closed gives its slot
 * back after the resource's max-hold, or when its JVM stops heart-beating.
 */
public interface Permit extends AutoCloseable {
  String resource();

  /**
   * When the permit took effect, by the coordinator's clock (Redis' clock for the Redis
   * coordinator). Grants are spaced by this time, which is what the limits bound.
   */
  java.time.Instant grantedAt();

  /** The load this permit was granted for, after any {@link #reconcile}. */
  long load();

  /**
   * The call turned out to weigh {@code actualLoad} rather than its estimate: the difference is
   * charged to (or refunded from) the resource's load limit. May be called after close.
   */
  void reconcile(long actualLoad);

  @Override
  void close();
}
