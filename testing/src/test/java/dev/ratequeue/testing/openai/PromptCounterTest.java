package dev.ratequeue.testing.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptCounterTest {

    /** JSON written with ' for " (and ` for '), to keep it readable here. */
    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text.replace('\'', '"').replace('`', '\''));
    }

    /** The example of OpenAI's cookbook ("How to count tokens with tiktoken"), with names. */
    private static final String COOKBOOK = "["
            + "{'role':'system','content':'You are a helpful, pattern-following assistant that translates corporate"
            + " jargon into plain English.'},"
            + "{'role':'system','name':'example_user','content':'New synergies will help drive top-line growth.'},"
            + "{'role':'system','name':'example_assistant','content':'Things working well together will increase"
            + " revenue.'},"
            + "{'role':'system','name':'example_user','content':'Let`s circle back when we have more bandwidth to"
            + " touch base on opportunities for increased leverage.'},"
            + "{'role':'system','name':'example_assistant','content':'Let`s talk later when we`re less busy about"
            + " how to do better.'},"
            + "{'role':'user','content':'This late pivot means we don`t have time to boil the ocean for the client"
            + " deliverable.'}]";

    @Test
    void countsTheCookbookExampleAsTheApiDid() throws Exception {
        JsonNode messages = json(COOKBOOK);
        // The cookbook prints these counts for its function and for the API's own usage alike.
        assertThat(PromptCounter.messages(Tokenizer.forModel("gpt-4"), messages)).isEqualTo(129);
        assertThat(PromptCounter.messages(Tokenizer.forModel("gpt-4o"), messages)).isEqualTo(124);
    }

    @Test
    void contentPartsCountTheirTextAndNothingElse() throws Exception {
        Encoding encoding = Tokenizer.forModel("gpt-4o");
        int plain = PromptCounter.messages(encoding, json("[{'role':'user','content':'Hello there'}]"));
        int parts = PromptCounter.messages(encoding, json("[{'role':'user','content':["
                + "{'type':'text','text':'Hello'},{'type':'text','text':' there'},"
                + "{'type':'image_url','image_url':{'url':'https://example.com/cat.png'}}]}]"));
        assertThat(parts).isEqualTo(plain);
        assertThat(plain).isEqualTo(3 + 1 + Tokenizer.count(encoding, "Hello there") + 3);
    }

    @Test
    void aNameCostsOneMoreAndAResponsesItemsTypeNothing() throws Exception {
        Encoding encoding = Tokenizer.forModel("gpt-4o");
        int base = PromptCounter.messages(encoding, json("[{'role':'user','content':'Hi'}]"));
        assertThat(PromptCounter.messages(encoding, json("[{'role':'user','name':'bob','content':'Hi'}]")))
                .isEqualTo(base + Tokenizer.count(encoding, "bob") + 1);
        assertThat(PromptCounter.messages(encoding, json("[{'type':'message','role':'user','content':'Hi'}]")))
                .isEqualTo(base);
    }

    @Test
    void promptsAreStringsOrTokenIds() throws Exception {
        Encoding encoding = Tokenizer.forModel("gpt-3.5-turbo-instruct");
        int hello = Tokenizer.count(encoding, "Hello world");
        assertThat(PromptCounter.prompts(encoding, json("'Hello world'"), "prompt")).containsExactly(hello);
        assertThat(PromptCounter.prompts(encoding, json("['Hello world','Hi']"), "prompt"))
                .containsExactly(hello, Tokenizer.count(encoding, "Hi"));
        assertThat(PromptCounter.prompts(encoding, json("[1,2,3]"), "prompt")).isEqualTo(List.of(3));
        assertThat(PromptCounter.prompts(encoding, json("[[1,2],[3]]"), "input")).containsExactly(2, 1);
        assertThatThrownBy(() -> PromptCounter.prompts(encoding, json("['a',{'b':1}]"), "input"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'input[1]'");
    }
}
