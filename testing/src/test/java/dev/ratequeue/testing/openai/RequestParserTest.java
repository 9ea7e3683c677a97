package dev.ratequeue.testing.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private static ApiRequest parse(Endpoint endpoint, String json) throws InvalidRequestException {
        return RequestParser.parse(endpoint, json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static InvalidRequestException refused(Endpoint endpoint, String json) {
        return catchThrowableOfType(InvalidRequestException.class, () -> parse(endpoint, json));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() throws Exception {
        ApiRequest r = parse(Endpoint.CHAT_COMPLETIONS, "{'model':'gpt-4o','messages':[{'role':'user','content':'x'}],"
                + "'max_tokens':10,'max_completion_tokens':20}");
        assertThat(r.maxTokens).isEqualTo(20);
        assertThat(r.stream).isFalse();
    }

    @Test
    void completionsWriteSixteenTokensUnlessToldOtherwise() throws Exception {
        ApiRequest r = parse(Endpoint.COMPLETIONS, "{'model':'gpt-3.5-turbo-instruct','prompt':['a','b']}");
        assertThat(r.maxTokens).isEqualTo(16);
        assertThat(r.completions()).isEqualTo(2);
    }

    @Test
    void embeddingsTakeOneInputOrSeveral() throws Exception {
        ApiRequest one = parse(Endpoint.EMBEDDINGS, "{'model':'text-embedding-3-large','input':[1,2,3]}");
        assertThat(one.inputs).containsExactly("[1,2,3]");
        assertThat(one.dimensions).isEqualTo(3072);
        assertThat(one.base64).isFalse();
        ApiRequest two = parse(Endpoint.EMBEDDINGS,
                "{'model':'text-embedding-3-small','input':['a','b'],'encoding_format':'base64'}");
        assertThat(two.inputs).containsExactly("a", "b");
        assertThat(two.dimensions).isEqualTo(1536);
        assertThat(two.base64).isTrue();
        assertThat(two.completions()).isZero();
    }

    @Test
    void refusalsNameTheFieldAtFault() {
        assertThat(refused(Endpoint.CHAT_COMPLETIONS, "{'messages':[]}").param).isEqualTo("model");
        assertThat(refused(Endpoint.CHAT_COMPLETIONS, "{'model':'gpt-4o'}"))
                .hasMessage("Missing required parameter: 'messages'.");
        assertThat(refused(Endpoint.CHAT_COMPLETIONS, "{'model':'gpt-4o','messages':[{'content':'x'}]}"))
                .hasMessageContaining("'messages[0]'").hasMessageContaining("'role'");
        assertThat(refused(Endpoint.CHAT_COMPLETIONS,
                "{'model':'gpt-4o','messages':[{'role':'user','content':'x'}],'max_tokens':0}"))
                .hasMessageContaining("Expected a value >= 1, but got 0");
        assertThat(refused(Endpoint.CHAT_COMPLETIONS,
                "{'model':'gpt-4o','messages':[{'role':'user','content':'x'}],'stream_options':{}}").param)
                .isEqualTo("stream_options");
        assertThat(refused(Endpoint.RESPONSES, "{'model':'gpt-4o','input':'x','max_output_tokens':8}"))
                .hasMessageContaining("Expected a value >= 16");
        assertThat(refused(Endpoint.RESPONSES, "{'model':'gpt-4o','input':'x','stream':true}"))
                .hasMessageContaining("does not stream /v1/responses");
        assertThat(refused(Endpoint.EMBEDDINGS, "{'model':'m','input':'x','encoding_format':'int8'}").param)
                .isEqualTo("encoding_format");
        assertThat(refused(Endpoint.COMPLETIONS, "{'model':")).hasMessageContaining("could not parse the JSON");
    }
}
