package dev.ratequeue.testing.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.Encoding;
import org.junit.jupiter.api.Test;

class FillerTextTest {

    @Test
    void everyPieceIsOneTokenInBothEncodings() {
        for (String model : new String[] {"gpt-4o", "gpt-4"}) {
            Encoding encoding = Tokenizer.forModel(model);
            for (int n = 0; n <= 300; n++) {
                FillerText.Completion c = FillerText.generate(encoding, n);
                assertThat(c.tokens).as("%d tokens for %s", n, model).isEqualTo(n);
                assertThat(c.pieces).hasSize(n);
                assertThat(String.join("", c.pieces)).isEqualTo(c.text);
            }
        }
    }

    @Test
    void theSameLengthIsTheSameText() {
        assertThat(FillerText.pieces(12)).isEqualTo(FillerText.pieces(12));
        assertThat(String.join("", FillerText.pieces(4))).isEqualTo("The quick brown fox");
    }
}
