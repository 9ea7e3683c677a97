package dev.ratequeue.testing.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void choosesOpenAisTokenizerByModelFamily() {
        for (String model : new String[] {"gpt-4o", "gpt-4o-mini-2024-07-18", "chatgpt-4o-latest", "gpt-4.1-nano",
                "gpt-4.5-preview", "gpt-5", "gpt-5-mini", "o1", "o1-mini", "o3-mini", "o4-mini",
                "ft:gpt-4o-mini:org::abc"}) {
            assertThat(Tokenizer.forModel(model).getName()).as(model).isEqualTo("o200k_base");
        }
        for (String model : new String[] {"gpt-4", "gpt-4-turbo", "gpt-4-0613", "gpt-3.5-turbo",
                "text-embedding-3-small", "text-embedding-ada-002", "some-model-nobody-knows"}) {
            assertThat(Tokenizer.forModel(model).getName()).as(model).isEqualTo("cl100k_base");
        }
    }

    @Test
    void specialTokensInATextAreJustText() {
        assertThat(Tokenizer.count(Tokenizer.forModel("gpt-4o"), "<|endoftext|>")).isGreaterThan(1);
    }
}
