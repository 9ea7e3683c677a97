package dev.ratequeue.coordination;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that decides whether a call to one resource may go: any combination of a requests
 * rate, a load rate and a concurrency limit, plus burst, max-wait, default priority and the
 * behaviour while the coordinator is unreachable. Immutable; build with {@link #builder(String)}
 * or read from properties with {@link #fromProperties}.
 *
 * <p>Burst: {@code burst} (requests) and {@code load-burst} (load units) are how many units beyond
 * the limit may pass within any one period. The default, 0, is smooth: one request every
 * period/N, no start-up burst. A single call whose load exceeds what the load limit allows at
 * once still passes when the limiter has drained (it leaves a debt that delays the calls behind
 * it), so a large call is never starved.
 */
public final class ResourceLimits {
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_MAX_HOLD = Duration.ofMinutes(10);

  private final String name;
  private final Rate requests;
  private final Rate load;
  private final int concurrency;
  private final long burst;
  private final long loadBurst;
  private final Duration maxWait;
  private final Duration maxHold;
  private final int priority;
  private final FailurePolicy onCoordinatorFailure;
  private final AdaptiveRate adaptive;

  private ResourceLimits(Builder b) {
    this.name = ResourceNames.validate("resource name", b.name);
    this.requests = b.requests;
    this.load = b.load;
    this.concurrency = b.concurrency;
    this.burst = b.burst;
    this.loadBurst = b.loadBurst;
    this.maxWait = b.maxWait;
    this.maxHold = b.maxHold;
    this.priority = b.priority;
    this.onCoordinatorFailure = b.onCoordinatorFailure;
    this.adaptive = b.adaptive;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Reads the limits of resource {@code name} from {@code properties}, whose keys are relative to
   * the resource ({@code requests}, {@code load}, {@code concurrency}, {@code burst},
   * {@code load-burst}, {@code max-wait}, {@code max-hold}, {@code priority},
   * {@code on-coordinator-failure}). {@code keyPrefix} is prepended to keys in error messages so
   * they match what the user wrote, e.g. {@code ratequeue.resources.openai.}.
   */
  public static ResourceLimits fromProperties(String name, String keyPrefix, Map<String, String> properties) {
    ResourceNames.validate(keyPrefix.isEmpty() ? "resource name" : keyPrefix.substring(0, keyPrefix.length() - 1), name);
    Builder b = builder(name);
    boolean adaptiveOn = false;
    double floor = AdaptiveRate.DEFAULT_FLOOR;
    double decrease = AdaptiveRate.DEFAULT_DECREASE;
    double increase = AdaptiveRate.DEFAULT_INCREASE_PER_SECOND;
    for (Map.Entry<String, String> e : properties.entrySet()) {
      String key = keyPrefix + e.getKey();
      String value = e.getValue();
      switch (e.getKey()) {
        case "requests":
          b.requests(Rate.parse(key, value));
          break;
        case "load":
          b.load(Rate.parse(key, value));
          break;
        case "concurrency":
          b.concurrency(Numbers.parseInt(key, value, 1, Integer.MAX_VALUE));
          break;
        case "burst":
          b.burst(Numbers.parseLong(key, value, 0, Long.MAX_VALUE / 2));
          break;
        case "load-burst":
          b.loadBurst(Numbers.parseLong(key, value, 0, Long.MAX_VALUE / 2));
          break;
        case "max-wait":
          b.maxWait(Durations.parse(key, value));
          break;
        case "max-hold":
          b.maxHold(positive(key, value, Durations.parse(key, value)));
          break;
        case "priority":
          b.priority(Numbers.parseInt(key, value, Integer.MIN_VALUE, Integer.MAX_VALUE));
          break;
        case "on-coordinator-failure":
          b.onCoordinatorFailure(FailurePolicy.parse(key, value));
          break;
        case "adaptive":
          adaptiveOn = Numbers.parseBoolean(key, value);
          break;
        case "adaptive-floor":
          floor = Numbers.parseFraction(key, value, false);
          break;
        case "adaptive-decrease":
          decrease = Numbers.parseFraction(key, value, false);
          if (decrease >= 1) {
            throw new ConfigurationException(key, value, "a share below 1, e.g. 0.7 or 70%");
          }
          break;
        case "adaptive-increase":
          increase = Numbers.parseFraction(key, value, true);
          break;
        case "match":
        case "coordinator":
          break; // routing, read by the agent
        default:
          throw new ConfigurationException(key, value,
              "a known resource setting: requests, load, concurrency, burst, load-burst, max-wait, max-hold, "
                  + "priority, on-coordinator-failure, adaptive, adaptive-floor, adaptive-decrease, adaptive-increase, "
                  + "match, coordinator");
      }
    }
    if (adaptiveOn) {
      if (!properties.containsKey("requests") && !properties.containsKey("load")) {
        throw new ConfigurationException(keyPrefix + "adaptive", properties.get("adaptive"),
            "a resource with a requests or load limit (adaptive mode starts from it, as a ceiling)");
      }
      b.adaptive(AdaptiveRate.of(floor, decrease, increase));
    }
    return b.build();
  }

  private static Duration positive(String key, String value, Duration d) {
    if (d.isZero()) {
      throw new ConfigurationException(key, value, "a duration greater than 0");
    }
    return d;
  }

  public String name() {
    return name;
  }

  public Optional<Rate> requests() {
    return Optional.ofNullable(requests);
  }

  public Optional<Rate> load() {
    return Optional.ofNullable(load);
  }

  /** Calls in flight at once; 0 means no concurrency limit. */
  public int concurrency() {
    return concurrency;
  }

  public long burst() {
    return burst;
  }

  public long loadBurst() {
    return loadBurst;
  }

  public Duration maxWait() {
    return maxWait;
  }

  /** Safety net: a permit not closed after this long gives its concurrency slot back anyway. */
  public Duration maxHold() {
    return maxHold;
  }

  /** Priority of calls that do not set one. Higher numbers are served first. */
  public int priority() {
    return priority;
  }

  public FailurePolicy onCoordinatorFailure() {
    return onCoordinatorFailure;
  }

  /** Empty unless the rates are a ceiling the fleet adapts under (see {@link AdaptiveRate}). */
  public Optional<AdaptiveRate> adaptive() {
    return Optional.ofNullable(adaptive);
  }

  /** The same limits divided among {@code clients} JVMs: the local fallback's share. */
  public ResourceLimits share(int clients) {
    if (clients <= 1) {
      return this;
    }
    Builder b = toBuilder();
    if (requests != null) {
      b.requests(Rate.of(Math.max(1, requests.count() / clients), requests.period()));
    }
    if (load != null) {
      b.load(Rate.of(Math.max(1, load.count() / clients), load.period()));
    }
    if (concurrency > 0) {
      b.concurrency(Math.max(1, concurrency / clients));
    }
    return b.burst(burst / clients).loadBurst(loadBurst / clients).build();
  }

  public Builder toBuilder() {
    return builder(name).requests(requests).load(load).concurrency(concurrency).burst(burst).loadBurst(loadBurst)
        .maxWait(maxWait).maxHold(maxHold).priority(priority).onCoordinatorFailure(onCoordinatorFailure)
        .adaptive(adaptive);
  }

  /** The limit as the user would write it, for messages: {@code requests = 100/1s}. */
  String describeRequests() {
    return "requests = " + requests + (burst > 0 ? " (burst " + burst + ")" : "");
  }

  String describeLoad() {
    return "load = " + load + (loadBurst > 0 ? " (load-burst " + loadBurst + ")" : "");
  }

  String describeConcurrency() {
    return "concurrency = " + concurrency;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ResourceLimits)) {
      return false;
    }
    ResourceLimits r = (ResourceLimits) o;
    return name.equals(r.name) && Objects.equals(requests, r.requests) && Objects.equals(load, r.load)
        && concurrency == r.concurrency && burst == r.burst && loadBurst == r.loadBurst && maxWait.equals(r.maxWait)
        && maxHold.equals(r.maxHold) && priority == r.priority && onCoordinatorFailure == r.onCoordinatorFailure
        && Objects.equals(adaptive, r.adaptive);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, requests, load, concurrency, burst, loadBurst, maxWait, maxHold, priority);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name).append(" {");
    if (requests != null) {
      s.append(' ').append(describeRequests()).append(';');
    }
    if (load != null) {
      s.append(' ').append(describeLoad()).append(';');
    }
    if (concurrency > 0) {
      s.append(' ').append(describeConcurrency()).append(';');
    }
    if (adaptive != null) {
      s.append(' ').append(adaptive).append(';');
    }
    return s.append(" max-wait = ").append(Durations.format(maxWait)).append("; priority = ").append(priority)
        .append(" }").toString();
  }

  public static final class Builder {
    private final String name;
    private Rate requests;
    private Rate load;
    private int concurrency;
    private long burst;
    private long loadBurst;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private Duration maxHold = DEFAULT_MAX_HOLD;
    private int priority;
    private FailurePolicy onCoordinatorFailure = FailurePolicy.LOCAL;
    private AdaptiveRate adaptive;

    private Builder(String name) {
      this.name = name;
    }

    public Builder requests(Rate requests) {
      this.requests = requests;
      return this;
    }

    public Builder requests(long count, Duration period) {
      return requests(Rate.of(count, period));
    }

    public Builder load(Rate load) {
      this.load = load;
      return this;
    }

    public Builder load(long count, Duration period) {
      return load(Rate.of(count, period));
    }

    public Builder concurrency(int concurrency) {
      if (concurrency < 0) {
        throw new IllegalArgumentException("concurrency must be >= 0 (0 = unlimited), was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    public Builder burst(long burst) {
      if (burst < 0) {
        throw new IllegalArgumentException("burst must be >= 0, was " + burst);
      }
      this.burst = burst;
      return this;
    }

    public Builder loadBurst(long loadBurst) {
      if (loadBurst < 0) {
        throw new IllegalArgumentException("load-burst must be >= 0, was " + loadBurst);
      }
      this.loadBurst = loadBurst;
      return this;
    }

    public Builder maxWait(Duration maxWait) {
      if (maxWait.isNegative()) {
        throw new IllegalArgumentException("max-wait must be >= 0, was " + maxWait);
      }
      this.maxWait = maxWait;
      return this;
    }

    public Builder maxHold(Duration maxHold) {
      if (maxHold.isNegative() || maxHold.isZero()) {
        throw new IllegalArgumentException("max-hold must be > 0, was " + maxHold);
      }
      this.maxHold = maxHold;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder onCoordinatorFailure(FailurePolicy policy) {
      this.onCoordinatorFailure = Objects.requireNonNull(policy);
      return this;
    }

    /** The rates become a ceiling the fleet adapts under; {@code null}: fixed rates (the default). */
    public Builder adaptive(AdaptiveRate adaptive) {
      this.adaptive = adaptive;
      return this;
    }

    public ResourceLimits build() {
      return new ResourceLimits(this);
    }
  }
}
