package dev.ratequeue.testing.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenAiDurationTest {

    private static String format(Duration d) {
        return OpenAiDuration.format(d.toNanos());
    }

    @Test
    void writesDurationsAsGoAndOpenAiDo() {
        assertThat(format(Duration.ZERO)).isEqualTo("0s");
        assertThat(format(Duration.ofMillis(20))).isEqualTo("20ms");
        assertThat(format(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(format(Duration.ofMillis(7660))).isEqualTo("7.66s");
        assertThat(format(Duration.ofMinutes(6))).isEqualTo("6m0s");
        assertThat(format(Duration.ofMillis(90_500))).isEqualTo("1m30.5s");
        assertThat(format(Duration.ofHours(1))).isEqualTo("1h0m0s");
        assertThat(format(Duration.ofMillis(3_723_004))).isEqualTo("1h2m3.004s");
    }

    @Test
    void roundsUpToTheMillisecondSoTheWaitIsNeverTooShort() {
        assertThat(OpenAiDuration.format(1)).isEqualTo("1ms");
        assertThat(OpenAiDuration.format(999_000_001)).isEqualTo("1s");
        assertThat(OpenAiDuration.format(59_999_999_999L)).isEqualTo("1m0s");
    }
}
