package dev.ratequeue.agent.llm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a response's headers say about the quotas left upstream, in whichever of the common dialects the
 * server speaks:
 *
 * <ul>
 *   <li>OpenAI (and Azure OpenAI, Groq, and others that copied it): {@code x-ratelimit-limit-requests},
 *       {@code x-ratelimit-remaining-tokens}, {@code x-ratelimit-reset-tokens: 6m0s} (Go durations).
 *   <li>Anthropic: {@code anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}},
 *       the reset an RFC 3339 time.
 *   <li>GitHub: {@code x-ratelimit-limit}, {@code -remaining}, {@code -used}, {@code -reset} (epoch seconds;
 *       below 10^9, as servers that copied the names send it, seconds from now), {@code -resource}: requests.
 *   <li>The IETF draft (draft-ietf-httpapi-ratelimit-headers), in its older forms ({@code RateLimit-Limit},
 *       {@code RateLimit-Remaining}, {@code RateLimit-Reset} in seconds; or {@code RateLimit: limit=100,
 *       remaining=50, reset=30}) and its current one ({@code RateLimit: "default";r=50;t=30} with
 *       {@code RateLimit-Policy: "default";q=100;w=60}; draft -07's {@code l=} for {@code q=} too).
 * </ul>
 *
 * <p>At most one observation per {@link LimitKind}: where a response describes several quotas of one kind
 * (several IETF policies, or two dialects at once) the most constraining one wins, the one with the least
 * left and, among those, the longest to wait. That is the one that will refuse the next call.
 *
 * <p>Never throws. A value that is present but unreadable is left out and listed in {@link #ignored()},
 * naming the header and the value, for the caller to log once per resource and header.
 */
public final class RateLimitHeaders {
  /**
   * A reset further away than this is an upstream's bug, not a window to wait for: daily and monthly quotas
   * reset well within it. It also keeps every reset within what {@link Duration#toNanos()} can hold.
   */
  public static final Duration MAX_RESET = Duration.ofDays(366);

  private static final Comparator<QuotaObservation> MOST_CONSTRAINING_FIRST = Comparator
      .comparingLong(QuotaObservation::remaining)
      .thenComparing(o -> o.resetAfter().orElse(Duration.ZERO), Comparator.reverseOrder());

  private final Map<LimitKind, QuotaObservation> observations;
  private final List<Ignored> ignored;

  private RateLimitHeaders(Map<LimitKind, QuotaObservation> observations, List<Ignored> ignored) {
    this.observations = observations;
    this.ignored = ignored;
  }

  /**
   * Reads the headers through {@code header}, which answers a header's first value by its name in any case
   * ({@code null} when absent); the names asked for are lower case. Resets given as times are measured
   * from {@code now}.
   */
  public static RateLimitHeaders parse(Function<String, String> header, Instant now) {
    HeaderReader h = new HeaderReader(header, now, MAX_RESET);
    List<QuotaObservation> all = new ArrayList<>();
    openAi(h, all);
    anthropic(h, all);
    gitHub(h, all);
    ietf(h, all);
    Map<LimitKind, QuotaObservation> best = new EnumMap<>(LimitKind.class);
    for (QuotaObservation o : all) {
      best.merge(o.kind(), o, (a, b) -> MOST_CONSTRAINING_FIRST.compare(a, b) <= 0 ? a : b);
    }
    return new RateLimitHeaders(best, Collections.unmodifiableList(h.ignored));
  }

  /** At most one per kind, in the order of {@link LimitKind}. */
  public List<QuotaObservation> observations() {
    return Collections.unmodifiableList(new ArrayList<>(observations.values()));
  }

  public Optional<QuotaObservation> observation(LimitKind kind) {
    return Optional.ofNullable(observations.get(kind));
  }

  /** Headers that were present but unreadable, each with its value and what was expected. */
  public List<Ignored> ignored() {
    return ignored;
  }

  @Override
  public String toString() {
    return observations.values() + (ignored.isEmpty() ? "" : " ignored " + ignored);
  }

  private static void openAi(HeaderReader h, List<QuotaObservation> out) {
    for (LimitKind kind : new LimitKind[] {LimitKind.REQUESTS, LimitKind.TOKENS}) {
      String k = kind == LimitKind.REQUESTS ? "requests" : "tokens";
      long remaining = h.count("x-ratelimit-remaining-" + k);
      long limit = h.count("x-ratelimit-limit-" + k);
      Duration reset = h.goDuration("x-ratelimit-reset-" + k);
      add(out, kind, limit, remaining, reset, "x-ratelimit-remaining-" + k);
    }
  }

  private static void anthropic(HeaderReader h, List<QuotaObservation> out) {
    for (LimitKind kind : LimitKind.values()) {
      String prefix = "anthropic-ratelimit-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-";
      long remaining = h.count(prefix + "remaining");
      long limit = h.count(prefix + "limit");
      Duration reset = h.rfc3339(prefix + "reset");
      add(out, kind, limit, remaining, reset, prefix + "remaining");
    }
  }

  private static void gitHub(HeaderReader h, List<QuotaObservation> out) {
    long remaining = h.count("x-ratelimit-remaining");
    long limit = h.count("x-ratelimit-limit");
    long used = h.count("x-ratelimit-used");
    Duration reset = h.secondsOrEpoch("x-ratelimit-reset");
    String source = "x-ratelimit-remaining";
    if (remaining < 0 && limit >= 0 && used >= 0) {
      remaining = Math.max(0, limit - used);
      source = "x-ratelimit-limit minus x-ratelimit-used";
    }
    String resource = h.raw("x-ratelimit-resource");
    add(out, LimitKind.REQUESTS, limit, remaining, reset, resource == null ? source : source + " (" + resource + ")");
  }

  private static void ietf(HeaderReader h, List<QuotaObservation> out) {
    // The older, separate headers.
    long remaining = h.count("ratelimit-remaining");
    long limit = -1;
    String limitText = h.raw("ratelimit-limit");
    if (limitText != null) {
      // "100", or with the policies after it: "100, 100;w=60, 1000;w=3600"; the first is the one in force.
      List<StructuredFields.Member> members = StructuredFields.parse(limitText);
      limit = members == null ? -1 : HeaderReader.parseCount(members.get(0).item);
      if (limit < 0) {
        h.ignore("ratelimit-limit", limitText, "expected a whole number, 0 or more, optionally followed by policies");
      }
    }
    String resetText = h.raw("ratelimit-reset");
    Duration reset = resetText == null ? null : h.seconds("ratelimit-reset", resetText, resetText, "the value");
    add(out, LimitKind.REQUESTS, limit, remaining, reset, "ratelimit-remaining");

    String combined = h.raw("ratelimit");
    if (combined == null) {
      return;
    }
    List<StructuredFields.Member> members = StructuredFields.parse(combined);
    if (members == null) {
      h.ignore("ratelimit", combined, "expected \"policy\";r=remaining;t=seconds (or limit=, remaining=, reset=) "
          + "members separated by commas");
      return;
    }
    if (members.get(0).key != null) {
      ietfDictionary(h, combined, members, out);
    } else {
      ietfPolicies(h, combined, members, out);
    }
  }

  /** {@code RateLimit: limit=100, remaining=50, reset=30}, as in the drafts before -07. */
  private static void ietfDictionary(HeaderReader h, String text, List<StructuredFields.Member> members,
      List<QuotaObservation> out) {
    long limit = -1;
    long remaining = -1;
    Duration reset = null;
    for (StructuredFields.Member m : members) {
      if (m.key == null) {
        continue;
      }
      switch (m.key) {
        case "limit":
          limit = HeaderReader.parseCount(m.item);
          if (limit < 0) {
            h.ignore("ratelimit", text, "limit=" + m.item + " is not a whole number, 0 or more");
          }
          break;
        case "remaining":
          remaining = HeaderReader.parseCount(m.item);
          if (remaining < 0) {
            h.ignore("ratelimit", text, "remaining=" + m.item + " is not a whole number, 0 or more");
          }
          break;
        case "reset":
          reset = h.seconds("ratelimit", text, m.item, "reset=" + m.item);
          break;
        default:
          break;
      }
    }
    add(out, LimitKind.REQUESTS, limit, remaining, reset, "ratelimit");
  }

  /** {@code RateLimit: "burst";r=50;t=30, "daily";r=900;t=3600} with their quotas in {@code RateLimit-Policy}. */
  private static void ietfPolicies(HeaderReader h, String text, List<StructuredFields.Member> members,
      List<QuotaObservation> out) {
    Map<String, StructuredFields.Member> policies = new HashMap<>();
    String policyText = h.raw("ratelimit-policy");
    if (policyText != null) {
      List<StructuredFields.Member> list = StructuredFields.parse(policyText);
      if (list == null) {
        h.ignore("ratelimit-policy", policyText, "expected \"policy\";q=quota;w=seconds members separated by commas");
      } else {
        for (StructuredFields.Member p : list) {
          policies.put(p.item, p);
        }
      }
    }
    for (StructuredFields.Member m : members) {
      String r = m.params.get("r");
      long remaining = r == null ? -1 : HeaderReader.parseCount(r);
      if (remaining < 0) {
        h.ignore("ratelimit", text, "policy \"" + m.item + "\" has " + (r == null ? "no r=" : "r=" + r)
            + "; expected r= a whole number, 0 or more");
        continue;
      }
      String t = m.params.get("t");
      Duration reset = t == null ? null
          : h.seconds("ratelimit", text, t, "t=" + t + " of policy \"" + m.item + "\"");
      StructuredFields.Member policy = policies.get(m.item);
      long limit = -1;
      LimitKind kind = LimitKind.REQUESTS;
      if (policy != null) {
        // The quota is q= since draft -08; -07 called it l=.
        String quotaParam = policy.params.containsKey("q") ? "q" : "l";
        String q = policy.params.get(quotaParam);
        limit = q == null ? -1 : HeaderReader.parseCount(q);
        if (q != null && limit < 0) {
          h.ignore("ratelimit-policy", policyText, "policy \"" + m.item + "\" has " + quotaParam + "=" + q
              + "; expected a whole number, 0 or more");
        }
        String unit = policy.params.get("qu");
        if (unit != null) {
          kind = quotaUnit(unit);
          if (kind == null) {
            // content-bytes, concurrent-requests: quotas of things RateQueue does not count here.
            continue;
          }
        }
      }
      add(out, kind, limit, remaining, reset, "ratelimit \"" + m.item + "\"");
    }
  }

  /** The draft's quota units that map to a kind; also "tokens", which some LLM gateways send. */
  private static LimitKind quotaUnit(String unit) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "requests":
        return LimitKind.REQUESTS;
      case "tokens":
        return LimitKind.TOKENS;
      default:
        return null;
    }
  }

  private static void add(List<QuotaObservation> out, LimitKind kind, long limit, long remaining, Duration reset,
      String source) {
    if (remaining >= 0) {
      out.add(new QuotaObservation(kind, limit, remaining, reset, source));
    }
  }
}
