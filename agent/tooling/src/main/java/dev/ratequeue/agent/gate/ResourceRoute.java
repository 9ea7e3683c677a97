package dev.ratequeue.agent.gate;

import dev.ratequeue.agent.config.ResourceConfiguration;
import dev.ratequeue.agent.llm.Ignored;
import dev.ratequeue.agent.llm.RateLimitHeaders;
import dev.ratequeue.agent.llm.TokenEstimator;
import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.agent.metrics.ResourceMetrics;
import dev.ratequeue.bootstrap.CallPermit;
import dev.ratequeue.bootstrap.CallScope;
import dev.ratequeue.bootstrap.OutboundRequest;
import dev.ratequeue.bootstrap.PermitDeniedException;
import dev.ratequeue.bootstrap.Route;
import dev.ratequeue.coordination.Durations;
import dev.ratequeue.coordination.LimitKind;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.RateQueueException;
import dev.ratequeue.coordination.RedisUrls;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.ResourceStats;
import dev.ratequeue.coordination.UpstreamCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One resource behind the bridge: turns a call's scope (and request) into an engine acquire of the right
 * load, engine refusals into {@link PermitDeniedException}s, and what the upstream answers into shared
 * state: a 429 (or a 503 with Retry-After) pauses the resource for every JVM and cuts an adaptive rate;
 * rate-limit headers saying less is left than the next call needs hold that rate back; a response's usage
 * reconciles the call's load (see {@link ResourcePermit}).
 *
 * <p>Whatever needs the coordinator after a response runs on the agent's own executor, never on the
 * client's thread (an I/O reactor's, perhaps), and only when it changes something: one pause per burst
 * of 429s, one hold per new horizon.
 *
 * <p>A bug or an unexpected engine failure lets the call through ({@link CallPermit#NONE}) after
 * logging it once: the agent must never be the reason an application's call fails, except when
 * the resource's own settings (max-wait, {@code on-coordinator-failure = fail}) say it should.
 */
final class ResourceRoute implements Route, ResourceMetrics, UpstreamCounters {
  /** A new pause or hold within this of one already asked for adds nothing worth a round trip. */
  private static final long COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final ResourceConfiguration config;
  private final CoordinatorPool coordinators;
  private final AgentBridge bridge;
  private final Executor pauses;
  private final LoadEstimates estimates;
  private final boolean readsRequests;
  private volatile ResourceLimiter limiter;
  /** The end of the last pause this JVM asked for (System.nanoTime), to send one per burst of 429s, not one each. */
  private volatile long pausedUntilNanos = System.nanoTime();
  private volatile long requestsHeldUntilNanos = System.nanoTime();
  private volatile long loadHeldUntilNanos = System.nanoTime();
  /** A running average of the calls' loads: the next call may well be heavier than the one that reported. */
  private volatile long typicalLoad;
  private final LongAdder upstreamRefusals = new LongAdder();
  private final LongAdder pausesAsked = new LongAdder();
  private final LongAdder holdsAsked = new LongAdder();

  ResourceRoute(ResourceConfiguration config, CoordinatorPool coordinators, AgentBridge bridge, Executor pauses,
      TokenEstimator tokens) {
    this.config = config;
    this.coordinators = coordinators;
    this.bridge = bridge;
    this.pauses = pauses;
    this.estimates = new LoadEstimates(config.name(), config.loadEstimator(), tokens);
    // A load estimate only matters against a load limit; without one, calls weigh 1 and nothing is read.
    this.readsRequests = config.limits().load().isPresent() && estimates.readsRequests();
  }

  @Override
  public String resource() {
    return config.name();
  }

  boolean reconciles() {
    return config.reconcile();
  }

  AgentBridge bridge() {
    return bridge;
  }

  ResourceLimiter limiter() {
    ResourceLimiter l = limiter;
    if (l == null) {
      synchronized (this) {
        if (limiter == null) {
          ResourceLimiter created = coordinators.coordinator(config.coordinator()).limiter(config.limits());
          created.countUpstreamWith(this); // the fleet's telemetry reports this JVM's 429s and pauses
          limiter = created;
        }
        l = limiter;
      }
    }
    return l;
  }

  @Override
  public ResourceStats stats() {
    ResourceLimiter l = limiter;
    return l == null ? ResourceStats.none(resource()) : l.stats();
  }

  @Override
  public long upstreamRefusals() {
    return upstreamRefusals.sum();
  }

  @Override
  public long pauses() {
    return pausesAsked.sum();
  }

  @Override
  public long holds() {
    return holdsAsked.sum();
  }

  @Override
  public ResourceLimits limits() {
    ResourceLimiter l = limiter;
    return l == null ? config.limits() : l.limits();
  }

  @Override
  public String coordinator() {
    return RedisUrls.mask(config.coordinator());
  }

  @Override
  public boolean readsRequests() {
    return readsRequests;
  }

  private CallEstimate estimate(CallScope scope, OutboundRequest request) {
    if (scope.load() != CallScope.DEFAULT_LOAD) {
      return CallEstimate.of(scope.load());
    }
    if (!readsRequests) {
      return CallEstimate.ONE;
    }
    try {
      return estimates.estimate(request);
    } catch (RuntimeException e) {
      bridge.internalError("estimating a call of " + resource(), e);
      return CallEstimate.ONE;
    }
  }

  @Override
  public CallPermit acquire(CallScope scope) throws PermitDeniedException {
    return acquire(scope, null);
  }

  @Override
  public CompletableFuture<CallPermit> acquireAsync(CallScope scope) {
    return acquireAsync(scope, null);
  }

  @Override
  public CallPermit acquire(CallScope scope, OutboundRequest request) throws PermitDeniedException {
    bridge.resourceUsed();
    CallEstimate estimate = estimate(scope, request);
    ResourceLimiter l;
    try {
      l = limiter();
    } catch (RuntimeException e) {
      bridge.internalError("resource " + resource(), e);
      return CallPermit.NONE;
    }
    try {
      return new ResourcePermit(this, l.acquire(estimate.load, priority(scope, l)), estimate);
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
  public CompletableFuture<CallPermit> acquireAsync(CallScope scope, OutboundRequest request) {
    bridge.resourceUsed();
    CallEstimate estimate = estimate(scope, request);
    CompletableFuture<Permit> inner;
    try {
      ResourceLimiter l = limiter();
      inner = l.acquireAsync(estimate.load, priority(scope, l));
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
        if (!outer.complete(new ResourcePermit(this, permit, estimate))) {
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

  private static int priority(CallScope scope, ResourceLimiter l) {
    return scope.priority() == CallScope.DEFAULT_PRIORITY ? l.limits().priority() : scope.priority();
  }

  private PermitDeniedException denied(RateQueueException e) {
    return new PermitDeniedException(resource(), e.getMessage(), e);
  }

  /** What the upstream answered a call of {@code estimate}; never blocks (see the class comment). */
  void responded(int status, Function<String, String> headers, CallEstimate estimate) {
    if (status == 429 || status == 503) {
      refused(status, headers);
    }
    calibrate(headers, estimate);
  }

  private void refused(int status, Function<String, String> headers) {
    boolean adaptive = config.limits().adaptive().isPresent();
    if (status == 429 && adaptive) {
      later("cut its adaptive rate", l -> l.overloaded());
    }
    String retryAfter = headers.apply("Retry-After");
    String retryAfterMs = headers.apply("retry-after-ms");
    if (status == 503 && retryAfter == null && retryAfterMs == null) {
      return;
    }
    upstreamRefusals.increment();
    Duration wait = retryAfterMs != null ? RetryAfter.parseMillis(retryAfterMs) : null;
    if (wait == null) {
      wait = RetryAfter.parse(retryAfter, Instant.now());
    }
    if (wait == null) {
      if (retryAfter != null) {
        AgentLog.get().once("retry-after:" + resource(), AgentLog.Level.WARN, "Resource '" + resource()
            + "': unreadable Retry-After '" + retryAfter + "' on HTTP " + status + "; expected seconds or an HTTP "
            + "date; pausing for retry-after-default = " + Durations.format(config.retryAfterDefault())
            + " (logged once)", null);
      } else if (adaptive) {
        return; // an undisclosed limit: the cut is the answer, a pause would only waste the rate
      }
      wait = config.retryAfterDefault();
    }
    if (wait.compareTo(config.retryAfterMax()) > 0) {
      wait = config.retryAfterMax();
    }
    long until = System.nanoTime() + wait.toNanos();
    // Another call's 429 already paused the resource at least this long: one pause per burst.
    if (until - pausedUntilNanos <= COALESCE_NANOS) {
      return;
    }
    pausedUntilNanos = until;
    Duration pause = wait;
    AgentLog.get().info("Resource '" + resource() + "': HTTP " + status + " from upstream, every worker pauses for "
        + Durations.format(pause));
    pausesAsked.increment();
    later("pause it", l -> l.pause(pause));
    logWhenPauseEnds(until, pause);
  }

  /**
   * One line when the pause this JVM asked for is over, unless a later one of ours extended it (that
   * one says so in its turn). Another JVM may have paused longer meanwhile: the line speaks of ours.
   */
  private void logWhenPauseEnds(long until, Duration pause) {
    CompletableFuture.delayedExecutor(pause.toNanos(), TimeUnit.NANOSECONDS, pauses).execute(() -> {
      if (pausedUntilNanos == until) {
        AgentLog.get().info("Resource '" + resource() + "': the pause of " + Durations.format(pause)
            + " has ended; calls are granted again");
      }
    });
  }

  private void calibrate(Function<String, String> headers, CallEstimate estimate) {
    RateLimitHeaders quotas = RateLimitHeaders.parse(headers, Instant.now());
    for (Ignored ignored : quotas.ignored()) {
      AgentLog.get().once("quota-header:" + resource() + ":" + ignored.name(), AgentLog.Level.WARN, "Resource '"
          + resource() + "': " + ignored.message() + " (ignored; logged once)", null);
    }
    if (quotas.observations().isEmpty()) {
      return;
    }
    long typical = typicalLoad;
    typicalLoad = typical == 0 ? estimate.load : typical + (estimate.load - typical) / 8; // a lost update is harmless
    for (QuotaCalibration.Hold hold : QuotaCalibration.holds(quotas, config.limits(),
        Math.max(estimate.load, typical), config.retryAfterMax())) {
      long until = System.nanoTime() + hold.delay.toNanos();
      if (hold.kind == null) {
        if (until - pausedUntilNanos <= COALESCE_NANOS) {
          continue;
        }
        pausedUntilNanos = until;
        pausesAsked.increment();
        later("pause it", l -> l.pause(hold.delay));
      } else if (hold.kind == LimitKind.REQUESTS) {
        if (until - requestsHeldUntilNanos <= COALESCE_NANOS) {
          continue;
        }
        requestsHeldUntilNanos = until;
        holdsAsked.increment();
        later("hold its requests back", l -> l.holdBack(LimitKind.REQUESTS, hold.delay));
      } else {
        if (until - loadHeldUntilNanos <= COALESCE_NANOS) {
          continue;
        }
        loadHeldUntilNanos = until;
        holdsAsked.increment();
        later("hold its load back", l -> l.holdBack(LimitKind.LOAD, hold.delay));
      }
      AgentLog.get().once("quota-held:" + resource(), AgentLog.Level.INFO, "Resource '" + resource()
          + "': the upstream reports less left than the next call needs (" + hold.because + "); every worker "
          + "waits for it to refill. Logged the first time only; ratequeue.log.level=debug shows each.", null);
      AgentLog.get().debug("Resource '" + resource() + "': " + hold.because + ", holding back "
          + Durations.format(hold.delay));
    }
  }

  private interface LimiterAction {
    void apply(ResourceLimiter limiter);
  }

  private void later(String what, LimiterAction action) {
    pauses.execute(() -> {
      try {
        action.apply(limiter());
      } catch (RuntimeException e) {
        AgentLog.get().warn("Resource '" + resource() + "': could not " + what + " in the coordinator ("
            + e.getMessage() + "); this JVM keeps sending");
      }
    });
  }

  @Override
  public String toString() {
    return config.toString();
  }
}
