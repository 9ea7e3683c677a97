package dev.ratequeue.testing.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlidingWindowLimitTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private long now = 1_000 * SECOND;

    private SlidingWindowLimit limit(int requests, long tokens) {
        return new SlidingWindowLimit(requests, tokens, 10 * SECOND, () -> now);
    }

    @Test
    void admitsUpToTheRequestsLimitThenRefusesUntilTheOldestLeaves() {
        SlidingWindowLimit limit = limit(3, 0);
        assertThat(limit.admit(0).remainingRequests).isEqualTo(2);
        now += SECOND;
        limit.admit(0);
        now += SECOND;
        UpstreamLimit.Decision third = limit.admit(0);
        assertThat(third.admitted()).isTrue();
        assertThat(third.remainingRequests).isZero();
        assertThat(third.requestsResetNanos).isEqualTo(10 * SECOND);

        now += SECOND;
        UpstreamLimit.Decision fourth = limit.admit(0);
        assertThat(fourth.refusal).isEqualTo(UpstreamLimit.Refusal.REQUESTS);
        assertThat(fourth.requestsUsedBefore).isEqualTo(3);
        // The first arrived 3 s ago: it leaves the 10 s window in 7 s.
        assertThat(fourth.untilRoomNanos).isEqualTo(7 * SECOND);
        assertThat(fourth.requestsResetNanos).isEqualTo(9 * SECOND);

        now += 7 * SECOND - 1;
        assertThat(limit.admit(0).admitted()).isFalse();
        now += 1;
        assertThat(limit.admit(0).admitted()).as("exactly a window after the first").isTrue();
    }

    @Test
    void chargesTokensAndWaitsForEnoughOfThemToLeave() {
        SlidingWindowLimit limit = limit(0, 100);
        limit.admit(40);
        now += SECOND;
        limit.admit(40);
        now += SECOND;
        UpstreamLimit.Decision refused = limit.admit(50);
        assertThat(refused.refusal).isEqualTo(UpstreamLimit.Refusal.TOKENS);
        assertThat(refused.tokensUsedBefore).isEqualTo(80);
        assertThat(refused.remainingTokens).isEqualTo(20);
        // 80 + 50 > 100 until the first 40 leave, 8 s from now; then 40 + 50 fits.
        assertThat(refused.untilRoomNanos).isEqualTo(8 * SECOND);
        assertThat(refused.tokensResetNanos).isEqualTo(9 * SECOND);
        assertThat(limit.admit(20).admitted()).as("what still fits is admitted").isTrue();
    }

    @Test
    void aRequestLargerThanTheWholeTokensLimitNeverFits() {
        SlidingWindowLimit limit = limit(10, 100);
        UpstreamLimit.Decision d = limit.admit(101);
        assertThat(d.refusal).isEqualTo(UpstreamLimit.Refusal.TOO_LARGE);
        assertThat(d.untilRoomNanos).isEqualTo(-1);
        assertThat(d.remainingRequests).isEqualTo(10);
    }

    @Test
    void theTokensResetIgnoresRequestsThatCarriedNoTokens() {
        SlidingWindowLimit limit = limit(10, 100);
        limit.admit(30);
        now += 4 * SECOND;
        UpstreamLimit.Decision d = limit.admit(0);
        assertThat(d.requestsResetNanos).isEqualTo(10 * SECOND);
        assertThat(d.tokensResetNanos).isEqualTo(6 * SECOND);
    }

    @Test
    void aShrunkLimitRefusesAtOnceAndReportsNothingBelowZero() {
        SlidingWindowLimit limit = limit(5, 1000);
        for (int i = 0; i < 4; i++) {
            limit.admit(200);
        }
        limit.requestLimit(2);
        limit.tokenLimit(500);
        UpstreamLimit.Decision d = limit.admit(1);
        assertThat(d.refusal).isEqualTo(UpstreamLimit.Refusal.REQUESTS);
        assertThat(d.remainingRequests).isZero();
        assertThat(d.remainingTokens).isZero();
        assertThat(d.untilRoomNanos).isEqualTo(10 * SECOND);
    }

    @Test
    void zeroIsNoLimit() {
        SlidingWindowLimit limit = limit(0, 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(limit.admit(1_000_000).admitted()).isTrue();
        }
    }

    @Test
    void badLimitsAreNamed() {
        assertThatThrownBy(() -> limit(-1, 0)).hasMessageContaining("requests limit").hasMessageContaining("-1");
        assertThatThrownBy(() -> new SlidingWindowLimit(1, 1, 0)).hasMessageContaining("window");
    }
}
