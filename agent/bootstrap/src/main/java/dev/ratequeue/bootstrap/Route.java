package dev.ratequeue.bootstrap;

import java.util.concurrent.CompletableFuture;

/** One configured resource, as instrumented code sees it. */
public interface Route {
  /** The resource's name, e.g. {@code openai}. */
  String resource();

  /**
   * Blocks the calling thread until the call may go.
   *
   * @throws PermitDeniedException the wait would exceed (or did exceed) the resource's max-wait,
   *     the coordinator is unreachable under {@code on-coordinator-failure = fail}, or the thread was
   *     interrupted (its interrupt flag is set again)
   */
  CallPermit acquire(CallScope scope) throws PermitDeniedException;

  /**
   * Completes when the call may go, holding no thread meanwhile; completes exceptionally with a
   * {@link PermitDeniedException}. Cancelling it leaves the queue.
   */
  CompletableFuture<CallPermit> acquireAsync(CallScope scope);

  /**
   * Whether this resource's load estimator reads requests (a body, a header). Only then do
   * interceptors pass an {@link OutboundRequest}: the common call costs nothing more.
   */
  boolean readsRequests();

  /** {@link #acquire(CallScope)}, the call's load estimated from {@code request} (may be null). */
  CallPermit acquire(CallScope scope, OutboundRequest request) throws PermitDeniedException;

  /** {@link #acquireAsync(CallScope)}, the call's load estimated from {@code request} (may be null). */
  CompletableFuture<CallPermit> acquireAsync(CallScope scope, OutboundRequest request);
}
