package dev.ratequeue.agent.gate;

import dev.ratequeue.agent.config.ResourceConfiguration;
import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.bootstrap.CallPermit;
import dev.ratequeue.bootstrap.CallScope;
import dev.ratequeue.bootstrap.OutboundRequest;
import dev.ratequeue.bootstrap.PermitDeniedException;
import dev.ratequeue.bootstrap.Route;
import dev.ratequeue.coordination.Durations;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.RateQueueException;
import dev.ratequeue.coordination.ResourceLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One resource behind the bridge: turns a call's scope into an engine acquire, engine refusals into
 * {@link PermitDeniedException}s, and an upstream 429 into a pause for every JVM.
 *
 * <p>A bug or an unexpected engine failure lets the call through ({@link CallPermit#NONE}) after
 * logging it once: the agent must never be the reason an application's call fails, except when
 * the resource's own settings (max-wait, {@code on-coordinator-failure = fail}) say it should.
 */
final class ResourceRoute implements Route {
  private final ResourceConfiguration config;
  private final CoordinatorPool coordinators;
  private final AgentBridge bridge;
  private final Executor pauses;
  private volatile ResourceLimiter limiter;
  /** The end of the last pause this JVM asked for (System.nanoTime), to send one per burst of 429s, not one each. */
  private volatile long pausedUntilNanos = System.nanoTime();

  ResourceRoute(ResourceConfiguration config, CoordinatorPool coordinators, AgentBridge bridge, Executor pauses) {
    this.config = config;
    this.coordinators = coordinators;
    this.bridge = bridge;
    this.pauses = pauses;
  }

  @Override
  public String resource() {
    return config.name();
  }

  AgentBridge bridge() {
    return bridge;
  }

  ResourceLimiter limiter() {
    ResourceLimiter l = limiter;
    if (l == null) {
      synchronized (this) {
        if (limiter == null) {
          limiter = coordinators.coordinator(config.coordinator()).limiter(config.limits());
        }
        l = limiter;
      }
    }
    return l;
  }

  @Override
  public CallPermit acquire(CallScope scope) throws PermitDeniedException {
    ResourceLimiter l;
    try {
      l = limiter();
    } catch (RuntimeException e) {
      bridge.internalError("resource " + resource(), e);
      return CallPermit.NONE;
    }
    try {
      return new ResourcePermit(this, l.acquire(load(scope), priority(scope, l)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PermitDeniedException(resource(), "Resource '" + resource()
          + "': interrupted while waiting for a permit", e);
    } catch (RateQueueException e) {
      throw denied(e);
    } catch (RuntimeException e) {
      bridge.internalError("resource " + resource(), e);
      return CallPermit.NONE;
    }
  }

  @Override
  public boolean readsRequests() {
    return false;
  }

  @Override
  public CallPermit acquire(CallScope scope, OutboundRequest request) throws PermitDeniedException {
    return acquire(scope);
  }

  @Override
  public CompletableFuture<CallPermit> acquireAsync(CallScope scope, OutboundRequest request) {
    return acquireAsync(scope);
  }

  @Override
  public CompletableFuture<CallPermit> acquireAsync(CallScope scope) {
    CompletableFuture<Permit> inner;
    try {
      ResourceLimiter l = limiter();
      inner = l.acquireAsync(load(scope), priority(scope, l));
    } catch (RuntimeException e) {
      bridge.internalError("resource " + resource(), e);
      return CompletableFuture.completedFuture(CallPermit.NONE);
    }
    CompletableFuture<CallPermit> outer = new CompletableFuture<>();
    outer.whenComplete((p, failure) -> {
      if (failure instanceof CancellationException) {
        inner.cancel(false);
      }
    });
    inner.whenComplete((permit, failure) -> {
      if (failure == null) {
        if (!outer.complete(new ResourcePermit(this, permit))) {
          permit.close();
        }
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof CancellationException) {
        outer.cancel(false);
      } else if (cause instanceof RateQueueException) {
        outer.completeExceptionally(denied((RateQueueException) cause));
      } else {
        bridge.internalError("resource " + resource(), cause);
        outer.complete(CallPermit.NONE);
      }
    });
    return outer;
  }

  private static long load(CallScope scope) {
    return scope.load() == CallScope.DEFAULT_LOAD ? 1 : scope.load();
  }

  private static int priority(CallScope scope, ResourceLimiter l) {
    return scope.priority() == CallScope.DEFAULT_PRIORITY ? l.limits().priority() : scope.priority();
  }

  private PermitDeniedException denied(RateQueueException e) {
    return new PermitDeniedException(resource(), e.getMessage(), e);
  }

  /** A 429, or a 503 that says when to come back, pauses the resource for every JVM; never blocks the caller. */
  void responded(int status, Function<String, String> headers) {
    if (status != 429 && status != 503) {
      return;
    }
    String retryAfter = headers.apply("Retry-After");
    if (status == 503 && retryAfter == null) {
      return;
    }
    Duration wait = RetryAfter.parse(retryAfter, Instant.now());
    if (wait == null) {
      wait = config.retryAfterDefault();
      if (retryAfter != null) {
        AgentLog.get().once("retry-after:" + resource(), AgentLog.Level.WARN, "Resource '" + resource()
            + "': unreadable Retry-After '" + retryAfter + "' on HTTP " + status + "; expected seconds or an HTTP "
            + "date; pausing for retry-after-default = " + Durations.format(wait) + " (logged once)", null);
      }
    }
    if (wait.compareTo(config.retryAfterMax()) > 0) {
      wait = config.retryAfterMax();
    }
    long until = System.nanoTime() + wait.toNanos();
    // Another call's 429 already paused the resource at least this long: one pause per burst.
    if (until - pausedUntilNanos <= TimeUnit.MILLISECONDS.toNanos(50)) {
      return;
    }
    pausedUntilNanos = until;
    Duration pause = wait;
    AgentLog.get().info("Resource '" + resource() + "': HTTP " + status + " from upstream, every worker pauses for "
        + Durations.format(pause));
    pauses.execute(() -> {
      try {
        limiter().pause(pause);
      } catch (RuntimeException e) {
        AgentLog.get().warn("Resource '" + resource() + "': could not pause it in the coordinator (" + e.getMessage()
            + "); this JVM keeps sending");
      }
    });
  }

  @Override
  public String toString() {
    return config.toString();
  }
}
