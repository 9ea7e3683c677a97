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

  ResourceConfiguration(ResourceLimits limits, List<MatchPattern> match, String coordinator,
      Duration retryAfterDefault, Duration retryAfterMax) {
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

  @Override
  public String toString() {
    return limits + (match.isEmpty() ? "" : " match " + match) + " via " + dev.ratequeue.coordination.RedisUrls.mask(coordinator);
  }
}
