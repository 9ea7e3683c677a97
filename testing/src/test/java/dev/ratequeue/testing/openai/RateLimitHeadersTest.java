package dev.ratequeue.testing.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** 100 requests and 30000 tokens a minute; 40 requests and 12345 tokens left. */
    private static UpstreamLimit.Decision decision() {
        return new UpstreamLimit.Decision(0, null, 100, 30_000, 40, 12_345, 59_500 * MS, 20 * MS, 0, 60, 17_655);
    }

    @Test
    void openAiStyle() {
        assertThat(RateLimitHeaders.openAi(decision()))
                .containsEntry("x-ratelimit-limit-requests", "100")
                .containsEntry("x-ratelimit-limit-tokens", "30000")
                .containsEntry("x-ratelimit-remaining-requests", "40")
                .containsEntry("x-ratelimit-remaining-tokens", "12345")
                .containsEntry("x-ratelimit-reset-requests", "59.5s")
                .containsEntry("x-ratelimit-reset-tokens", "20ms")
                .hasSize(6);
    }

    @Test
    void anthropicStyleResetsAreRfc3339Times() {
        Instant now = Instant.parse("2025-06-01T12:00:00.000000001Z");
        assertThat(RateLimitHeaders.anthropic(decision(), now))
                .containsEntry("anthropic-ratelimit-requests-limit", "100")
                .containsEntry("anthropic-ratelimit-requests-remaining", "40")
                .containsEntry("anthropic-ratelimit-requests-reset", "2025-06-01T12:00:59.501Z")
                .containsEntry("anthropic-ratelimit-tokens-limit", "30000")
                .containsEntry("anthropic-ratelimit-tokens-remaining", "12345")
                .containsEntry("anthropic-ratelimit-tokens-reset", "2025-06-01T12:00:00.021Z")
                .hasSize(6);
    }

    @Test
    void ietfStyleDisclosesTheRequestsPolicyInWholeSeconds() {
        assertThat(RateLimitHeaders.ietf(decision(), 60_000 * MS))
                .containsEntry("RateLimit-Policy", "\"default\";q=100;w=60")
                .containsEntry("RateLimit", "\"default\";r=40;t=60")
                .hasSize(2);
    }

    @Test
    void aLimitOfZeroIsNotDisclosed() {
        UpstreamLimit.Decision tokensOnly = new UpstreamLimit.Decision(0, null, 0, 500, 0, 400, 0, MS, 0,
                0, 100);
        assertThat(RateLimitHeaders.openAi(tokensOnly)).containsOnlyKeys("x-ratelimit-limit-tokens",
                "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens");
        assertThat(RateLimitHeaders.ietf(tokensOnly, MS)).isEmpty();
    }
}
