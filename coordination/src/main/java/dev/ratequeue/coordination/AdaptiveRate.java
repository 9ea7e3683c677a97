package dev.ratequeue.coordination;

import java.util.Locale;
import java.util.Objects;

/**
 * A resource whose real limit is unknown: its configured rates are a ceiling, and the rate every JVM
 * runs at is that ceiling times a factor the fleet shares. An upstream refusal ({@link
 * ResourceLimiter#overloaded()}) multiplies the factor by {@link #decrease()}, at most once per
 * {@link #COOLDOWN_MICROS} however many JVMs saw it; while none comes, it grows back by {@link
 * #increasePerSecond()} (a share of the ceiling) each second. It never goes below {@link #floor()}
 * nor above 1: the rate stays between {@code floor × ceiling} and the ceiling.
 *
 * <p>That is AIMD, as TCP's congestion control: the rate settles a little under the limit and
 * returns to it slowly, so refusals are rare (one burst per cycle) rather than sustained. With the
 * defaults (cut to 80%, 1% of the ceiling back per second) and a ceiling of about three times the
 * real limit, the rate saws between 80% and 100% of that limit, about 90% on average, and each
 * tooth of a few seconds costs the one or two refusals that find its top.
 */
public final class AdaptiveRate {
  /** One cut per second: the refusals of one overshoot all arrive within it. */
  public static final long COOLDOWN_MICROS = 1_000_000;
  public static final double DEFAULT_FLOOR = 0.05;
  public static final double DEFAULT_DECREASE = 0.8;
  public static final double DEFAULT_INCREASE_PER_SECOND = 0.01;

  private final double floor;
  private final double decrease;
  private final double increasePerSecond;

  private AdaptiveRate(double floor, double decrease, double increasePerSecond) {
    this.floor = floor;
    this.decrease = decrease;
    this.increasePerSecond = increasePerSecond;
  }

  public static AdaptiveRate defaults() {
    return of(DEFAULT_FLOOR, DEFAULT_DECREASE, DEFAULT_INCREASE_PER_SECOND);
  }

  /**
   * @param floor the lowest share of the ceiling, in (0, 1]
   * @param decrease what the factor is multiplied by on a refusal, in (0, 1)
   * @param increasePerSecond the share of the ceiling added back each second, in [0, 1]
   */
  public static AdaptiveRate of(double floor, double decrease, double increasePerSecond) {
    if (!(floor > 0 && floor <= 1)) {
      throw new IllegalArgumentException("adaptive floor must be in (0, 1], was " + floor);
    }
    if (!(decrease > 0 && decrease < 1)) {
      throw new IllegalArgumentException("adaptive decrease must be in (0, 1), was " + decrease);
    }
    if (!(increasePerSecond >= 0 && increasePerSecond <= 1)) {
      throw new IllegalArgumentException("adaptive increase must be in [0, 1] per second, was " + increasePerSecond);
    }
    return new AdaptiveRate(floor, decrease, increasePerSecond);
  }

  public double floor() {
    return floor;
  }

  public double decrease() {
    return decrease;
  }

  public double increasePerSecond() {
    return increasePerSecond;
  }

  /** The factor {@code elapsedMicros} after it was {@code factor}, with no refusal meanwhile. */
  public double grown(double factor, double elapsedMicros) {
    return Math.min(1.0, factor + increasePerSecond * Math.max(0, elapsedMicros) / 1e6);
  }

  /** The factor after a refusal when it was {@code factor}. */
  public double cut(double factor) {
    return Math.max(floor, factor * decrease);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AdaptiveRate)) {
      return false;
    }
    AdaptiveRate a = (AdaptiveRate) o;
    return a.floor == floor && a.decrease == decrease && a.increasePerSecond == increasePerSecond;
  }

  @Override
  public int hashCode() {
    return Objects.hash(floor, decrease, increasePerSecond);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "adaptive (floor %s, decrease %s, increase %s/s)", floor, decrease,
        increasePerSecond);
  }
}
