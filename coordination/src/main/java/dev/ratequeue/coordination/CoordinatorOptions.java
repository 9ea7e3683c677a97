package dev.ratequeue.coordination;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/** Settings of a coordinator as a whole (per resource settings live in {@link ResourceLimits}). */
public final class CoordinatorOptions {
  public static final String DEFAULT_NAMESPACE = "ratequeue";
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_LOOKAHEAD = Duration.ofMillis(50);
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_RECOVERY_PROBE = Duration.ofSeconds(1);
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final String namespace;
  private final Duration leaseTtl;
  private final Duration lookahead;
  private final Duration commandTimeout;
  private final Duration recoveryProbe;
  private final String clientVersion;

  private CoordinatorOptions(Builder b) {
    this.clientVersion = b.clientVersion;
    this.namespace = b.namespace;
    this.leaseTtl = b.leaseTtl;
    this.lookahead = b.lookahead;
    this.commandTimeout = b.commandTimeout;
    this.recoveryProbe = b.recoveryProbe;
  }

  public static CoordinatorOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Prefix of every Redis key and channel, so several fleets can share one Redis. */
  public String namespace() {
    return namespace;
  }

  /**
   * How long a JVM may go silent before its leases and queued calls are reclaimed. It heart-beats
   * every third of this, so a {@code kill -9} frees its capacity within one TTL.
   */
  public Duration leaseTtl() {
    return leaseTtl;
  }

  /**
   * How far ahead of its turn a waiting call may be granted, to be released by a timer in its own
   * JVM. It hides the round trip that would otherwise be lost between two grants, at the price of
   * letting a higher-priority call that arrives inside this window wait for calls already granted.
   */
  public Duration lookahead() {
    return lookahead;
  }

  /** How long one coordinator round trip may take before the coordinator counts as unreachable. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** How often an unreachable coordinator is tried again. */
  public Duration recoveryProbe() {
    return recoveryProbe;
  }

  /**
   * What this JVM says it runs, in the fleet's list of clients (the agent gives its own version);
   * empty when unknown.
   */
  public String clientVersion() {
    return clientVersion;
  }

  public static final class Builder {
    private String namespace = DEFAULT_NAMESPACE;
    private Duration leaseTtl = DEFAULT_LEASE_TTL;
    private Duration lookahead = DEFAULT_LOOKAHEAD;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration recoveryProbe = DEFAULT_RECOVERY_PROBE;
    private String clientVersion = "";

    public Builder namespace(String namespace) {
      if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
        throw new ConfigurationException("ratequeue.namespace", String.valueOf(namespace),
            "letters, digits, '.', '_' or '-', at most 64, starting with a letter or digit");
      }
      this.namespace = namespace;
      return this;
    }

    public Builder leaseTtl(Duration leaseTtl) {
      if (leaseTtl.compareTo(Duration.ofMillis(300)) < 0) {
        throw new ConfigurationException("ratequeue.lease-ttl", Durations.format(leaseTtl), "at least 300ms");
      }
      this.leaseTtl = leaseTtl;
      return this;
    }

    public Builder lookahead(Duration lookahead) {
      if (lookahead.isNegative()) {
        throw new ConfigurationException("ratequeue.lookahead", Durations.format(lookahead), "a duration >= 0");
      }
      this.lookahead = lookahead;
      return this;
    }

    public Builder commandTimeout(Duration commandTimeout) {
      if (commandTimeout.isNegative() || commandTimeout.isZero()) {
        throw new ConfigurationException("ratequeue.command-timeout", Durations.format(commandTimeout),
            "a duration > 0");
      }
      this.commandTimeout = commandTimeout;
      return this;
    }

    public Builder recoveryProbe(Duration recoveryProbe) {
      this.recoveryProbe = Objects.requireNonNull(recoveryProbe);
      return this;
    }

    public Builder clientVersion(String clientVersion) {
      this.clientVersion = Objects.requireNonNull(clientVersion);
      return this;
    }

    public CoordinatorOptions build() {
      return new CoordinatorOptions(this);
    }
  }
}
