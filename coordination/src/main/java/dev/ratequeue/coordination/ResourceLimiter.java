package dev.ratequeue.coordination;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One shared resource, as seen from this JVM. Every call asks it for a {@link Permit}.
 *
 * <p>Order: waiting calls are served strictly by priority, <b>higher number first</b>, and first
 * come first served within a priority, across every JVM that shares the coordinator. A waiting
 * call that cannot go yet (its turn has not come under the rate, the concurrency limit is
 * reached, the resource is paused) holds back every call behind it, which is what keeps the order
 * strict and stops large loads from starving.
 *
 * <p>Waiting is bounded by the resource's max-wait: a call whose predicted wait exceeds it fails at
 * once with {@link MaxWaitExceededException}; one that waits that long and is still not granted
 * fails then.
 */
public interface ResourceLimiter {
  String resource();

  /** The limits this resource currently runs under, as stored by the coordinator. */
  ResourceLimits limits();

  /**
   * Blocks the calling thread until a permit for {@code load} units at {@code priority} is granted.
   *
   * @throws MaxWaitExceededException the wait is predicted to exceed, or did exceed, max-wait
   * @throws CoordinatorUnavailableException the coordinator is down and the failure policy is fail
   * @throws InterruptedException the thread was interrupted; the call leaves the queue
   */
  Permit acquire(long load, int priority) throws InterruptedException;

  /** {@link #acquire(long, int)} with load 1 at the resource's default priority. */
  default Permit acquire() throws InterruptedException {
    return acquire(1, limits().priority());
  }

  /**
   * A future that completes with the permit once granted. No thread is held while it waits.
   * Cancelling the future takes the call out of the queue (or gives back a permit granted
   * meanwhile). It completes exceptionally with the exceptions {@link #acquire(long, int)} throws.
   */
  CompletableFuture<Permit> acquireAsync(long load, int priority);

  /** A permit if one can be granted right now without waiting, ahead of no higher or equal priority call. */
  Optional<Permit> tryAcquire(long load, int priority);

  /**
   * Pauses the resource for every JVM: nothing is granted until {@code duration} from now (by the
   * coordinator's clock). A pause never shortens one already in force.
   */
  void pause(Duration duration);

  /** Ends a pause at once. */
  void resume();

  /**
   * The upstream says it has no room for {@code kind} for {@code delay} from now (its rate-limit
   * headers did): nothing more of that rate is granted before then, in every JVM. Never lets more
   * through than the limits do (an earlier time than the limiter's own changes nothing); a resource
   * without that rate ignores it.
   */
  void holdBack(LimitKind kind, Duration delay);

  /**
   * The upstream refused a call for being over its limit (a 429). A resource with an {@link
   * AdaptiveRate} cuts the rate every JVM shares, at most once per cooldown however many JVMs report
   * the same overshoot; any other resource ignores it.
   */
  void overloaded();

  /**
   * Replaces the resource's limits in the coordinator; every JVM applies them on its next decision.
   * They are live limits: they win over every JVM's configuration (a JVM that restarts with its old
   * file included) until reset with {@code FleetAdmin.resetLimits}.
   */
  void updateLimits(ResourceLimits limits);

  ResourceSnapshot snapshot();

  /**
   * What this resource's calls did in this JVM (waiting, in flight, granted, rejected, wait times).
   * Read locally, never from the coordinator: cheap enough for a metrics scrape.
   */
  default ResourceStats stats() {
    return ResourceStats.none(resource());
  }

  /**
   * Where this limiter reads what the upstream did to its calls, for the fleet's telemetry (see {@link
   * UpstreamCounters}); a limiter that shares none ignores it.
   */
  default void countUpstreamWith(UpstreamCounters counters) {}
}
