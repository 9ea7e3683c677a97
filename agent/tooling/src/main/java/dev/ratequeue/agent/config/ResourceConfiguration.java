package dev.ratequeue.agent.config;

import dev.ratequeue.agent.routing.MatchPattern;
import dev.ratequeue.coordination.ResourceLimits;
import java.time.Duration;
import java.util.List;

/** One {@code ratequeue.resources.<name>.*} block, checked. */
public final class ResourceConfiguration {
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RETRY_AFTER_MAX = Duration.ofMinutes(5);

  private final ResourceLimits limits;
  private final List<MatchPattern> match;
  private final String coordinator;
  private final Duration retryAfterDefault;
  private final Duration retryAfterMax;
  private final LoadEstimator loadEstimator;
  private final boolean reconcile;

  ResourceConfiguration(ResourceLimits limits, List<MatchPattern> match, String coordinator,
      Duration retryAfterDefault, Duration retryAfterMax, LoadEstimator loadEstimator, boolean reconcile) {
    this.loadEstimator = loadEstimator;
    this.reconcile = reconcile;
    this.limits = limits;
    this.match = match;
    this.coordinator = coordinator;
    this.retryAfterDefault = retryAfterDefault;
    this.retryAfterMax = retryAfterMax;
  }

  public String name() {
    return limits.name();
  }

  /** What this JVM seeds the coordinator with; limits already stored there win (see the README). */
  public ResourceLimits limits() {
    return limits;
  }

  /** Empty: the resource is used only by {@code @RateLimited} methods and explicit acquires. */
  public List<MatchPattern> match() {
    return match;
  }

  /** The coordinator URL of this resource: its own {@code coordinator} setting, else {@code ratequeue.coordinator}. */
  public String coordinator() {
    return coordinator;
  }

  /** How long a 429 pauses the resource when its Retry-After is missing or unreadable. */
  public Duration retryAfterDefault() {
    return retryAfterDefault;
  }

  /** The longest pause a Retry-After can impose, against a server that asks for hours. */
  public Duration retryAfterMax() {
    return retryAfterMax;
  }

  /** How a call's load is estimated (see {@link LoadEstimator}); only matters with a {@code load} limit. */
  public LoadEstimator loadEstimator() {
    return loadEstimator;
  }

  /**
   * Whether an OpenAI-compatible call's load is corrected to the usage its response reports ({@code reconcile},
   * true unless set): right for an upstream that counts what calls really used, as Anthropic documents and OpenAI
   * does in practice; false for one that keeps charging what a request asked for ({@code max_tokens}).
   */
  public boolean reconcile() {
    return reconcile;
  }

  @Override
  public String toString() {
    return limits + (match.isEmpty() ? "" : " match " + match) + " via " + dev.ratequeue.coordination.RedisUrls.mask(coordinator);
  }
}
