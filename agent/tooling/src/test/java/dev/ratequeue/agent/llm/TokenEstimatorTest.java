package dev.ratequeue.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TokenEstimator estimator = new TokenEstimator();

  /** JSON written with ' for ", to keep the samples readable. */
  private static byte[] body(String singleQuoted) {
    return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ObjectNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static int exact(String model, String text) {
    return TokenEstimator.exactTokens(model, text).getAsInt();
  }

  private static ObjectNode message(String role, String content) {
    return JSON.createObjectNode().put("role", role).put("content", content);
  }

  /** The example of OpenAI's cookbook (How to count tokens with tiktoken), with the counts it publishes. */
  private static ObjectNode cookbookExample(String model) {
    ObjectNode request = JSON.createObjectNode().put("model", model);
    ArrayNode m = request.putArray("messages");
    m.add(message("system", "You are a helpful, pattern-following assistant that translates corporate jargon "
        + "into plain English."));
    m.add(message("system", "New synergies will help drive top-line growth.").put("name", "example_user"));
    m.add(message("system", "Things working well together will increase revenue.").put("name", "example_assistant"));
    m.add(message("system", "Let's circle back when we have more bandwidth to touch base on opportunities for "
        + "increased leverage.").put("name", "example_user"));
    m.add(message("system", "Let's talk later when we're less busy about how to do better.")
        .put("name", "example_assistant"));
    m.add(message("user", "This late pivot means we don't have time to boil the ocean for the client deliverable."));
    return request;
  }

  @Test
  void theCookbooksExampleCountsWhatItPublishes() {
    // 129 for gpt-3.5-turbo and gpt-4 (which the cookbook checked against the API), 124 for gpt-4o and -mini.
    for (String model : new String[] {"gpt-3.5-turbo", "gpt-4-0613", "gpt-4"}) {
      TokenEstimate e = estimator.estimate("/v1/chat/completions", bytes(cookbookExample(model)));
      assertThat(e.promptTokens()).as(model).isEqualTo(129);
      assertThat(e.encoding()).isEqualTo("cl100k_base");
    }
    for (String model : new String[] {"gpt-4o", "gpt-4o-mini"}) {
      TokenEstimate e = estimator.estimate("/v1/chat/completions", bytes(cookbookExample(model)));
      assertThat(e.promptTokens()).as(model).isEqualTo(124);
      assertThat(e.encoding()).isEqualTo("o200k_base");
      assertThat(e.method()).isEqualTo(TokenEstimate.Method.MODEL_ENCODING);
    }
  }

  @Test
  void exactTokensOfAText() {
    assertThat(TokenEstimator.exactTokens("gpt-4", "hello world")).hasValue(2);
    assertThat(TokenEstimator.exactTokens("gpt-4", "tiktoken is great!")).hasValue(6);
    assertThat(TokenEstimator.exactTokens("gpt-4o", "hello world")).hasValue(2);
    assertThat(TokenEstimator.exactTokens("gpt-4o", "")).hasValue(0);
    assertThat(TokenEstimator.exactTokens("claude-sonnet-4-5", "hello world")).isEmpty();
    assertThat(TokenEstimator.exactTokens(null, "hello world")).isEmpty();
    assertThat(exact("gpt-4o", "<|endoftext|>")).as("special tokens are plain text here").isGreaterThan(1);
  }

  @Test
  void aChatCallCostsItsPromptAndTheOutputItAllows() {
    String prompt = "Write a haiku about rate limits.";
    int expectedPrompt = 3 + exact("gpt-4o", "user") + exact("gpt-4o", prompt) + 3;
    TokenEstimate e = estimator.estimate("/v1/chat/completions",
        body("{'model':'gpt-4o','messages':[{'role':'user','content':'" + prompt + "'}],'max_tokens':100}"));
    assertThat(e.known()).isTrue();
    assertThat(e.promptTokens()).isEqualTo(expectedPrompt);
    assertThat(e.maxOutputTokens()).isEqualTo(100);
    assertThat(e.totalTokens()).isEqualTo(expectedPrompt + 100);
    assertThat(e.outputDefaulted()).isFalse();
    assertThat(e.model()).isEqualTo("gpt-4o");
    assertThat(e.ignored()).isEmpty();

    e = estimator.estimate("/v1/chat/completions", body("{'model':'o3-mini','messages':[{'role':'user','content':'"
        + prompt + "'}],'max_completion_tokens':5000,'n':2}"));
    assertThat(e.maxOutputTokens()).as("n choices of up to 5000").isEqualTo(10000);

    e = estimator.estimate("/v1/chat/completions",
        body("{'model':'gpt-4o','messages':[{'role':'user','content':'" + prompt + "'}]}"));
    assertThat(e.maxOutputTokens()).isEqualTo(TokenEstimator.DEFAULT_MAX_OUTPUT_TOKENS);
    assertThat(e.outputDefaulted()).isTrue();

    TokenEstimate custom = new TokenEstimator(256, 1.5).estimate("/v1/chat/completions",
        body("{'model':'gpt-4o','messages':[{'role':'user','content':'" + prompt + "'}]}"));
    assertThat(custom.maxOutputTokens()).isEqualTo(256);
  }

  @Test
  void contentPartsTextCountedImagesFlat() {
    // A 300 KB base64 image: its data must not be counted as text.
    char[] data = new char[300_000];
    Arrays.fill(data, 'A');
    String image = "data:image/png;base64," + new String(data);
    byte[] request = body("{'model':'gpt-4.1','messages':[{'role':'user','content':["
        + "{'type':'text','text':'What is in these images?'},"
        + "{'type':'image_url','image_url':{'url':'" + image + "'}},"
        + "{'type':'image_url','image_url':{'url':'https://example.com/cat.png','detail':'low'}}]}]}");
    TokenEstimate e = estimator.estimate("/v1/chat/completions", request);
    assertThat(e.promptTokens()).isEqualTo(3 + exact("gpt-4.1", "user") + exact("gpt-4.1", "What is in these images?")
        + TokenEstimator.IMAGE_TOKENS + TokenEstimator.LOW_DETAIL_IMAGE_TOKENS + 3);
    // Audio and files: flat too.
    e = estimator.estimate("/v1/chat/completions", body("{'model':'gpt-4o','messages':[{'role':'user','content':["
        + "{'type':'input_audio','input_audio':{'data':'" + new String(data, 0, 1000) + "','format':'wav'}}]}]}"));
    assertThat(e.promptTokens()).isEqualTo(3 + 1 + TokenEstimator.IMAGE_TOKENS + 3);
  }

  @Test
  void namesToolCallsAndToolDefinitions() {
    String tools = "[{'type':'function','function':{'name':'get_weather','description':'Weather in a city',"
        + "'parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}}]";
    byte[] request = body("{'model':'gpt-4o','tools':" + tools + ",'messages':["
        + "{'role':'user','name':'alice','content':'Weather in Paris?'},"
        + "{'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':'function',"
        + "'function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}}]},"
        + "{'role':'tool','tool_call_id':'call_1','content':'18 C, sunny'}]}");
    TokenEstimate e = estimator.estimate("/v1/chat/completions", request);
    String m = "gpt-4o";
    long expected = 3 + exact(m, "user") + exact(m, "alice") + 1 + exact(m, "Weather in Paris?")
        + 3 + exact(m, "assistant") + exact(m, "call_1") + exact(m, "function") + exact(m, "get_weather")
        + exact(m, "{\"city\":\"Paris\"}")
        + 3 + exact(m, "tool") + exact(m, "call_1") + exact(m, "18 C, sunny")
        + 3
        + exact(m, tools.replace('\'', '"'));
    assertThat(e.promptTokens()).isEqualTo(expected);
  }

  @Test
  void aJsonSchemaResponseFormatCountsAJsonObjectOneDoesNot() {
    String messages = "'messages':[{'role':'user','content':'List three colours.'}]";
    long plain = estimator.estimate("/v1/chat/completions", body("{'model':'gpt-4o'," + messages
        + ",'response_format':{'type':'json_object'}}")).promptTokens();
    String format = "{'type':'json_schema','json_schema':{'name':'colours','schema':{'type':'object',"
        + "'properties':{'colours':{'type':'array','items':{'type':'string'}}}}}}";
    long schema = estimator.estimate("/v1/chat/completions", body("{'model':'gpt-4o'," + messages
        + ",'response_format':" + format + "}")).promptTokens();
    assertThat(schema - plain).isEqualTo(exact("gpt-4o", format.replace('\'', '"')));
  }

  @Test
  void modelsAndTheirEncodings() {
    String[][] cases = {
        {"gpt-4o-2024-08-06", "o200k_base"}, {"gpt-4o-mini", "o200k_base"}, {"chatgpt-4o-latest", "o200k_base"},
        {"gpt-4.1-nano", "o200k_base"}, {"gpt-5", "o200k_base"}, {"gpt-5-mini-2025-08-07", "o200k_base"},
        {"o1", "o200k_base"}, {"o1-preview", "o200k_base"}, {"o3-mini", "o200k_base"}, {"o4-mini", "o200k_base"},
        {"GPT-4O", "o200k_base"}, {"ft:gpt-4o-mini-2024-07-18:acme::9abc", "o200k_base"},
        {"openai/gpt-4o", "o200k_base"}, {"gpt-4", "cl100k_base"}, {"gpt-4-turbo-2024-04-09", "cl100k_base"},
        {"gpt-4-32k", "cl100k_base"}, {"gpt-3.5-turbo-0125", "cl100k_base"}, {"gpt-35-turbo", "cl100k_base"},
        {"text-embedding-3-small", "cl100k_base"}, {"text-embedding-ada-002", "cl100k_base"},
        {"claude-sonnet-4-5", null}, {"claude-3-5-haiku-latest", null}, {"meta-llama/Llama-3.3-70B-Instruct", null},
        {"mistral-large-latest", null}, {"gemini-2.5-pro", null}, {"o1x-7b", null}, {"my-model", null}};
    for (String[] c : cases) {
      assertThat(Tokenizers.encodingName(c[0])).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void modelsWithoutTheirTokenizerFallBackToCl100kWithAMargin() {
    String text = "Summarise the attached quarterly report in five bullet points.";
    long cl100k = 3 + exact("gpt-4", "user") + exact("gpt-4", text) + 3;
    for (String model : new String[] {"claude-sonnet-4-5", "llama-3.1-8b-instant", "mistral-small", "gemini-2.0-flash",
        "some-local-model"}) {
      TokenEstimate e = estimator.estimate("/v1/chat/completions",
          body("{'model':'" + model + "','messages':[{'role':'user','content':'" + text + "'}],'max_tokens':50}"));
      assertThat(e.method()).as(model).isEqualTo(TokenEstimate.Method.FALLBACK);
      assertThat(e.encoding()).isEqualTo("cl100k_base x 1.25");
      assertThat(e.promptTokens()).isEqualTo((long) Math.ceil(cl100k * 1.25));
      assertThat(e.maxOutputTokens()).isEqualTo(50);
    }
    TokenEstimate noModel = estimator.estimate("/v1/chat/completions",
        body("{'messages':[{'role':'user','content':'" + text + "'}]}"));
    assertThat(noModel.method()).isEqualTo(TokenEstimate.Method.FALLBACK);
    assertThat(noModel.model()).isNull();
  }

  @Test
  void azureNamesTheModelInThePath() {
    byte[] request = body("{'messages':[{'role':'user','content':'Hi'}],'max_tokens':10}");
    TokenEstimate e = estimator.estimate("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21",
        request);
    assertThat(e.model()).isEqualTo("gpt-4o-prod");
    assertThat(e.encoding()).isEqualTo("o200k_base");
    e = estimator.estimate("/openai/deployments/team-a/chat/completions?api-version=2024-10-21", request);
    assertThat(e.method()).isEqualTo(TokenEstimate.Method.FALLBACK);
    e = estimator.estimate("/openai/deployments/team-a/embeddings?api-version=2024-10-21",
        body("{'model':'text-embedding-3-large','input':'Hi'}"));
    assertThat(e.model()).as("the body wins").isEqualTo("text-embedding-3-large");
  }

  @Test
  void pathsAreMatchedByTheirEnd() {
    byte[] chat = body("{'model':'gpt-4o','messages':[{'role':'user','content':'Hi'}],'max_tokens':10}");
    for (String path : new String[] {"/v1/chat/completions", "/v1/chat/completions/", "/chat/completions",
        "/proxy/openai/v1/chat/completions?x=1", "/api/v1/chat/completions#frag", "chat/completions"}) {
      assertThat(estimator.estimate(path, chat).promptTokens()).as(path).isEqualTo(3 + 1 + 1 + 3);
    }
    for (String path : new String[] {"/v1/models", "/v1/chat/completions/chatcmpl-123", "/v1/responses/resp_1/cancel",
        "/v1/audio/speech", "", null}) {
      TokenEstimate e = estimator.estimate(path, chat);
      assertThat(e.known()).as(String.valueOf(path)).isFalse();
      assertThat(e.ignored()).isEmpty();
    }
  }

  @Test
  void legacyCompletions() {
    String m = "gpt-3.5-turbo-instruct";
    TokenEstimate e = estimator.estimate("/v1/completions",
        body("{'model':'" + m + "','prompt':'Say this is a test'}"));
    assertThat(e.method()).isEqualTo(TokenEstimate.Method.MODEL_ENCODING);
    assertThat(e.promptTokens()).as("no per-message overhead").isEqualTo(exact("gpt-4", "Say this is a test"));
    assertThat(e.maxOutputTokens()).as("the API's own default").isEqualTo(16);
    assertThat(e.outputDefaulted()).isTrue();
    e = estimator.estimate("/v1/completions", body("{'model':'davinci-002','prompt':['one','two','three'],"
        + "'max_tokens':7,'n':2}"));
    assertThat(e.promptTokens()).isEqualTo(3);
    assertThat(e.maxOutputTokens()).as("3 prompts x 2 choices x 7").isEqualTo(42);
    e = estimator.estimate("/v1/completions", body("{'model':'davinci-002','prompt':[1,2,3,4],'max_tokens':5,"
        + "'best_of':3}"));
    assertThat(e.promptTokens()).as("token ids").isEqualTo(4);
    assertThat(e.maxOutputTokens()).as("best_of 3 are generated").isEqualTo(15);
    e = estimator.estimate("/v1/completions", body("{'model':'babbage-002','max_tokens':5}"));
    assertThat(e.promptTokens()).as("no prompt: <|endoftext|>").isEqualTo(1);
  }

  @Test
  void embeddingsCostTheirInputOnly() {
    String m = "text-embedding-3-small";
    TokenEstimate e = estimator.estimate("/v1/embeddings",
        body("{'model':'" + m + "','input':'The food was delicious and the waiter...','encoding_format':'float'}"));
    assertThat(e.promptTokens()).isEqualTo(exact(m, "The food was delicious and the waiter..."));
    assertThat(e.maxOutputTokens()).isZero();
    assertThat(e.totalTokens()).isEqualTo(e.promptTokens());
    e = estimator.estimate("/v1/embeddings", body("{'model':'" + m + "','input':['first','second text']}"));
    assertThat(e.promptTokens()).isEqualTo(exact(m, "first") + exact(m, "second text"));
    e = estimator.estimate("/v1/embeddings", body("{'model':'" + m + "','input':[[1,2,3],[4,5]]}"));
    assertThat(e.promptTokens()).isEqualTo(5);
  }

  @Test
  void responsesApi() {
    String m = "gpt-4.1";
    TokenEstimate e = estimator.estimate("/v1/responses", body("{'model':'" + m + "','instructions':'Talk like a "
        + "pirate.','input':'Are semicolons optional in JavaScript?','max_output_tokens':300}"));
    assertThat(e.promptTokens()).isEqualTo(3 + exact(m, "system") + exact(m, "Talk like a pirate.")
        + 3 + exact(m, "user") + exact(m, "Are semicolons optional in JavaScript?") + 3);
    assertThat(e.maxOutputTokens()).isEqualTo(300);
    e = estimator.estimate("/v1/responses", body("{'model':'" + m + "','input':[{'role':'user','content':["
        + "{'type':'input_text','text':'what is in this image?'},"
        + "{'type':'input_image','image_url':'https://example.com/a.jpg'}]},"
        + "{'type':'function_call_output','call_id':'call_9','output':'{\\'ok\\':true}'}]}"));
    assertThat(e.promptTokens()).isEqualTo(3 + exact(m, "user") + exact(m, "what is in this image?")
        + TokenEstimator.IMAGE_TOKENS + 3 + exact(m, "function_call_output") + exact(m, "call_9")
        + exact(m, "{\"ok\":true}") + 3);
    assertThat(e.maxOutputTokens()).isEqualTo(TokenEstimator.DEFAULT_MAX_OUTPUT_TOKENS);
  }

  @Test
  void unicodeEscapedOrNotCountsTheSame() {
    String text = "\u6771\u4eac\u306f\u65e5\u672c\u306e\u9996\u90fd\u3067\u3059\u3002 "
        + "\ud83d\ude00\ud83d\udc4d\ud83c\udffd "
        + "caf\u00e9 na\u00efve \u0645\u0631\u062d\u0628\u0627";
    ObjectNode raw = JSON.createObjectNode().put("model", "gpt-4o");
    raw.putArray("messages").add(message("user", text));
    String escaped = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + escapeAll(text) + "\"}]}";
    long fromRaw = estimator.estimate("/v1/chat/completions", bytes(raw)).promptTokens();
    long fromEscaped = estimator.estimate("/v1/chat/completions", escaped.getBytes(StandardCharsets.US_ASCII))
        .promptTokens();
    assertThat(fromRaw).isEqualTo(fromEscaped).isEqualTo(3 + 1 + exact("gpt-4o", text) + 3);
  }

  private static String escapeAll(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(String.format("\\u%04x", (int) c));
    }
    return b.toString();
  }

  @Test
  void whatCannotBeReadIsNamedNeverShown() {
    byte[] cut = body("{'model':'gpt-4o','messages':[{'role':'user','content':'my secret");
    TokenEstimate e = estimator.estimate("/v1/chat/completions", cut);
    assertThat(e.known()).isFalse();
    assertThat(e.ignored()).extracting(Ignored::name, Ignored::value)
        .containsExactly(tuple("request body", cut.length + " bytes"));
    assertThat(e.ignored().get(0).message()).doesNotContain("secret")
        .startsWith("request body = '" + cut.length + " bytes' ignored: not JSON");

    e = estimator.estimate("/v1/chat/completions", body("[{'role':'user','content':'Hi'}]"));
    assertThat(e.known()).isFalse();
    assertThat(e.ignored().get(0).reason()).isEqualTo("expected a JSON object, got ARRAY");

    e = estimator.estimate("/v1/chat/completions", body("{'model':'gpt-4o','messages':[]} trailing"));
    assertThat(e.known()).isFalse();

    assertThat(estimator.estimate("/v1/chat/completions", null).reason()).isEqualTo("no body");
    assertThat(estimator.estimate("/v1/chat/completions", new byte[0]).ignored()).isEmpty();
    assertThat(estimator.estimate("/v1/chat/completions", new byte[] {(byte) 0xff, (byte) 0xfe, 0}).known()).isFalse();

    byte[] huge = new byte[TokenEstimator.MAX_BODY_BYTES + 1];
    Arrays.fill(huge, (byte) ' ');
    e = estimator.estimate("/v1/chat/completions", huge);
    assertThat(e.known()).isFalse();
    assertThat(e.ignored()).extracting(Ignored::value).containsExactly((TokenEstimator.MAX_BODY_BYTES + 1) + " bytes");
  }

  @Test
  void badFieldsAreIgnoredAndTheDefaultsStandIn() {
    TokenEstimate e = estimator.estimate("/v1/chat/completions", body("{'model':42,'messages':[{'role':'user',"
        + "'content':'Hi'}],'max_completion_tokens':'100','max_tokens':-5,'n':0}"));
    assertThat(e.known()).isTrue();
    assertThat(e.method()).isEqualTo(TokenEstimate.Method.FALLBACK);
    assertThat(e.maxOutputTokens()).isEqualTo(TokenEstimator.DEFAULT_MAX_OUTPUT_TOKENS);
    assertThat(e.ignored()).extracting(Ignored::name, Ignored::value).containsExactly(
        tuple("model", "42"), tuple("max_completion_tokens", "\"100\""), tuple("max_tokens", "-5"), tuple("n", "0"));
    e = estimator.estimate("/v1/chat/completions", body("{'model':'gpt-4o','messages':[{'role':'user',"
        + "'content':'Hi'}],'max_tokens':100.0,'n':1e40}"));
    assertThat(e.maxOutputTokens()).as("100.0 is a count").isEqualTo(100);
    assertThat(e.ignored()).extracting(Ignored::name).containsExactly("n");
    e = estimator.estimate("/v1/chat/completions", body("{'model':'gpt-4o','messages':[{'role':'user',"
        + "'content':'Hi'}],'max_tokens':1.5,'max_output_tokens':null}"));
    assertThat(e.outputDefaulted()).isTrue();
    assertThat(e.ignored()).extracting(Ignored::name).containsExactly("max_tokens");
    e = estimator.estimate("/v1/chat/completions", body("{'model':'gpt-4o','messages':'Hi'}"));
    assertThat(e.promptTokens()).as("messages that are no array: the priming alone").isEqualTo(3);
  }

  @Test
  void aLargeBodyIsCountedWhole() {
    StringBuilder text = new StringBuilder();
    while (text.length() < 900_000) {
      text.append("Rate limits keep a fleet of workers within its quota. ");
    }
    ObjectNode request = JSON.createObjectNode().put("model", "gpt-4o").put("max_tokens", 1);
    request.putArray("messages").add(message("user", text.toString()));
    TokenEstimate e = estimator.estimate("/v1/chat/completions", bytes(request));
    assertThat(e.promptTokens()).isEqualTo(3 + 1 + exact("gpt-4o", text.toString()) + 3);
  }
}
