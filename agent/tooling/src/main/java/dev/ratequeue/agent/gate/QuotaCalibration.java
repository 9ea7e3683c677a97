package dev.ratequeue.agent.gate;

import dev.ratequeue.agent.llm.QuotaObservation;
import dev.ratequeue.agent.llm.RateLimitHeaders;
import dev.ratequeue.coordination.LimitKind;
import dev.ratequeue.coordination.Rate;
import dev.ratequeue.coordination.ResourceLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an upstream's rate-limit headers make the shared state do. The fleet's own limiter normally keeps
 * calls under the limit; the headers matter when the upstream knows better (another client spends the same
 * key, a quota shrank, a resource is set too high): then it has fewer units left than the next call needs.
 *
 * <p>When less is left than the next call needs, that rate is held back, in every JVM, until the upstream has
 * refilled enough: with the quota's size known, at the rate the headers imply ({@code (limit - remaining) / reset}
 * per second: OpenAI's and Anthropic's buckets refill continuously), otherwise until the reset. A resource
 * without that rate of its own is paused instead, whole. Nothing happens while enough is left, so a resource
 * whose own limits hold is never slowed down.
 *
 * <p>When the upstream refills more slowly than the resource's own rate grants, holding back for one call is not
 * enough: by the time the next response tells, the fleet has granted more at its own, faster, rate. Then the
 * hold waits for room for two calls, so that what is granted before the next response arrives still fits.
 */
final class QuotaCalibration {
  /** How much faster than the upstream refills the resource may grant before holds make room for two calls. */
  private static final double FASTER = 1.05;

  /** Hold {@code kind} back for {@code delay}; {@code kind == null}: pause the resource. */
  static final class Hold {
    final LimitKind kind;
    final Duration delay;
    final QuotaObservation because;

    Hold(LimitKind kind, Duration delay, QuotaObservation because) {
      this.kind = kind;
      this.delay = delay;
      this.because = because;
    }
  }

  private QuotaCalibration() {}

  /**
   * @param nextLoad what the next call is reckoned to weigh against a tokens quota
   * @param max the longest hold (the resource's {@code retry-after-max})
   */
  static List<Hold> holds(RateLimitHeaders headers, ResourceLimits limits, long nextLoad, Duration max) {
    List<Hold> holds = new ArrayList<>();
    for (QuotaObservation o : headers.observations()) {
      boolean requests = o.kind() == dev.ratequeue.agent.llm.LimitKind.REQUESTS;
      Optional<Rate> own = requests ? limits.requests() : limits.load();
      long need = requests ? 1 : Math.max(1, nextLoad);
      if (o.remaining() >= 2 * need || !o.resetAfter().isPresent()) {
        continue;
      }
      Duration reset = o.resetAfter().get();
      Duration delay;
      if (o.limit().isPresent() && o.limit().getAsLong() > o.remaining()) {
        double upstreamNanosPerUnit = (double) reset.toNanos() / (o.limit().getAsLong() - o.remaining());
        boolean upstreamSlower = own.isPresent() && upstreamNanosPerUnit > FASTER * own.get().intervalNanos();
        if (!upstreamSlower && o.remaining() >= need) {
          continue;
        }
        long target = upstreamSlower ? 2 * need : need;
        delay = Duration.ofNanos(Math.min(reset.toNanos(),
            (long) Math.ceil((target - o.remaining()) * upstreamNanosPerUnit)));
      } else if (o.remaining() < need) {
        delay = reset;
      } else {
        continue;
      }
      if (delay.compareTo(max) > 0) {
        delay = max;
      }
      if (delay.isZero() || delay.isNegative()) {
        continue;
      }
      LimitKind kind = requests ? LimitKind.REQUESTS : LimitKind.LOAD;
      holds.add(new Hold(own.isPresent() ? kind : null, delay, o));
    }
    return holds;
  }
}
