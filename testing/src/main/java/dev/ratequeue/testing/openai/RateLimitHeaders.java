package dev.ratequeue.testing.openai;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers that disclose a {@link UpstreamLimit.Decision}, in the three styles APIs use. A limit of 0 (none)
 * is not disclosed. Every reset is the full reset: the time until everything the window holds has left it, which
 * is what OpenAI documents for {@code x-ratelimit-reset-*} ("until the rate limit resets to its initial state") and
 * Anthropic for {@code anthropic-ratelimit-*-reset} ("fully replenished").
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    /**
     * {@code x-ratelimit-limit-requests}, {@code x-ratelimit-limit-tokens}, {@code x-ratelimit-remaining-requests},
     * {@code x-ratelimit-remaining-tokens}, {@code x-ratelimit-reset-requests}, {@code x-ratelimit-reset-tokens};
     * resets as {@link OpenAiDuration}.
     */
    public static Map<String, String> openAi(UpstreamLimit.Decision d) {
        Map<String, String> h = new LinkedHashMap<>();
        if (d.requestLimit > 0) {
            h.put("x-ratelimit-limit-requests", Integer.toString(d.requestLimit));
        }
        if (d.tokenLimit > 0) {
            h.put("x-ratelimit-limit-tokens", Long.toString(d.tokenLimit));
        }
        if (d.requestLimit > 0) {
            h.put("x-ratelimit-remaining-requests", Integer.toString(d.remainingRequests));
        }
        if (d.tokenLimit > 0) {
            h.put("x-ratelimit-remaining-tokens", Long.toString(d.remainingTokens));
        }
        if (d.requestLimit > 0) {
            h.put("x-ratelimit-reset-requests", OpenAiDuration.format(d.requestsResetNanos));
        }
        if (d.tokenLimit > 0) {
            h.put("x-ratelimit-reset-tokens", OpenAiDuration.format(d.tokensResetNanos));
        }
        return h;
    }

    /**
     * {@code anthropic-ratelimit-requests-limit}, {@code -remaining}, {@code -reset} and the same for
     * {@code tokens}; resets as RFC 3339 UTC times to the millisecond, rounded up, from {@code now}.
     */
    public static Map<String, String> anthropic(UpstreamLimit.Decision d, Instant now) {
        Map<String, String> h = new LinkedHashMap<>();
        if (d.requestLimit > 0) {
            h.put("anthropic-ratelimit-requests-limit", Integer.toString(d.requestLimit));
            h.put("anthropic-ratelimit-requests-remaining", Integer.toString(d.remainingRequests));
            h.put("anthropic-ratelimit-requests-reset", rfc3339(now, d.requestsResetNanos));
        }
        if (d.tokenLimit > 0) {
            h.put("anthropic-ratelimit-tokens-limit", Long.toString(d.tokenLimit));
            h.put("anthropic-ratelimit-tokens-remaining", Long.toString(d.remainingTokens));
            h.put("anthropic-ratelimit-tokens-reset", rfc3339(now, d.tokensResetNanos));
        }
        return h;
    }

    /**
     * draft-ietf-httpapi-ratelimit-headers in its structured-field form, for the requests limit only:
     * {@code RateLimit-Policy: "default";q=<limit>;w=<window seconds>} and
     * {@code RateLimit: "default";r=<remaining>;t=<seconds to the reset>}, both seconds rounded up. The draft's quota
     * units have none for tokens, so the tokens limit is enforced but not announced in this style.
     */
    public static Map<String, String> ietf(UpstreamLimit.Decision d, long windowNanos) {
        Map<String, String> h = new LinkedHashMap<>();
        if (d.requestLimit > 0) {
            h.put("RateLimit-Policy", "\"default\";q=" + d.requestLimit + ";w=" + ceilSeconds(windowNanos));
            h.put("RateLimit", "\"default\";r=" + d.remainingRequests + ";t=" + ceilSeconds(d.requestsResetNanos));
        }
        return h;
    }

    public static long ceilSeconds(long nanos) {
        return (nanos + 999_999_999) / 1_000_000_000;
    }

    public static long ceilMillis(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }

    private static String rfc3339(Instant now, long aheadNanos) {
        Instant at = now.plusNanos(aheadNanos);
        long millis = at.toEpochMilli() + (at.getNano() % 1_000_000 == 0 ? 0 : 1);
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis));
    }
}
