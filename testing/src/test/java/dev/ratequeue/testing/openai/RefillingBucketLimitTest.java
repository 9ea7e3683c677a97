package dev.ratequeue.testing.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RefillingBucketLimitTest {
    private static final long SECOND = 1_000_000_000L;
    private long now = 5 * SECOND;

    private RefillingBucketLimit limit(int requests, long tokens) {
        return new RefillingBucketLimit(requests, tokens, 10 * SECOND, () -> now);
    }

    @Test
    void startsFullAndRefillsAtTheLimitPerWindow() {
        RefillingBucketLimit limit = limit(0, 1000);
        assertThat(limit.admit(1000).admitted()).isTrue();
        UpstreamLimit.Decision refused = limit.admit(100);
        assertThat(refused.refusal).isEqualTo(UpstreamLimit.Refusal.TOKENS);
        assertThat(refused.remainingTokens).isZero();
        assertThat(refused.untilRoomNanos).isEqualTo(SECOND); // 100 tokens at 1000 per 10 s
        assertThat(refused.tokensResetNanos).isEqualTo(10 * SECOND);

        now += SECOND;
        UpstreamLimit.Decision admitted = limit.admit(100);
        assertThat(admitted.admitted()).isTrue();
        assertThat(admitted.remainingTokens).isZero();
        now += 5 * SECOND;
        assertThat(limit.admit(0).remainingTokens).isEqualTo(500);
    }

    @Test
    void requestsRefillOneByOne() {
        RefillingBucketLimit limit = limit(2, 0);
        assertThat(limit.admit(0).remainingRequests).isEqualTo(1);
        assertThat(limit.admit(0).remainingRequests).isZero();
        UpstreamLimit.Decision third = limit.admit(0);
        assertThat(third.refusal).isEqualTo(UpstreamLimit.Refusal.REQUESTS);
        assertThat(third.untilRoomNanos).isEqualTo(5 * SECOND);
        now += 5 * SECOND;
        assertThat(limit.admit(0).admitted()).isTrue();
    }

    @Test
    void aChargeLargerThanTheBucketNeverFits() {
        UpstreamLimit.Decision d = limit(0, 100).admit(101);
        assertThat(d.refusal).isEqualTo(UpstreamLimit.Refusal.TOO_LARGE);
        assertThat(d.untilRoomNanos).isEqualTo(-1);
    }
}
