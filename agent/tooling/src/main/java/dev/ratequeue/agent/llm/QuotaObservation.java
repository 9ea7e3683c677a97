package dev.ratequeue.agent.llm;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one response said about one quota: how much is left and when there is room again. An observation
 * exists only when the response said how much is left; the limit and the reset are each optional, since
 * servers leave them out (Azure OpenAI sends only {@code x-ratelimit-remaining-*}).
 */
public final class QuotaObservation {
  private final LimitKind kind;
  private final long limit;
  private final long remaining;
  private final Duration resetAfter;
  private final String source;

  QuotaObservation(LimitKind kind, long limit, long remaining, Duration resetAfter, String source) {
    this.kind = Objects.requireNonNull(kind);
    this.limit = limit;
    this.remaining = remaining;
    this.resetAfter = resetAfter;
    this.source = Objects.requireNonNull(source);
  }

  public LimitKind kind() {
    return kind;
  }

  /** The size of the quota, when the response said it. */
  public OptionalLong limit() {
    return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  /** What is left of it, never negative. */
  public long remaining() {
    return remaining;
  }

  /**
   * How long from the response until the window resets (or, for OpenAI's continuously refilled buckets,
   * until it is full again); never negative, {@link Duration#ZERO} for a reset already past. Empty when the
   * response did not say, or said something unreadable.
   */
  public Optional<Duration> resetAfter() {
    return Optional.ofNullable(resetAfter);
  }

  /**
   * The header it came from, to name in a log line: {@code x-ratelimit-remaining-tokens}, or for a
   * structured header the policy too ({@code ratelimit "burst"}).
   */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + remaining
        + (limit >= 0 ? " of " + limit : "") + " left"
        + (resetAfter != null ? ", resets in " + resetAfter : "") + " (" + source + ")";
  }
}
