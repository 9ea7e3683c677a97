package dev.ratequeue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real OpenAI Java SDK against the upstream: every answer must parse, and pass the SDK's own validation of
 * responses, with the usage the upstream counted. The SDK retries 429s by default, so these clients never retry.
 */
class OpenAiUpstreamTest {

    private static final EncodingRegistry TOKENIZERS = Encodings.newLazyEncodingRegistry();
    private static final Encoding O200K = TOKENIZERS.getEncoding(EncodingType.O200K_BASE);
    private static final Encoding CL100K = TOKENIZERS.getEncoding(EncodingType.CL100K_BASE);

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private OpenAiUpstream start(OpenAiUpstream.Builder builder) {
        OpenAiUpstream upstream = builder.start();
        open.add(upstream);
        return upstream;
    }

    private OpenAIClient client(OpenAiUpstream upstream) {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(upstream.baseUrl())
                .apiKey("test")
                .responseValidation(true)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(10))
                .build();
        open.add(client::close);
        return client;
    }

    /** The cookbook's count of one user message: 3 per message, its role and content, 3 for the reply. */
    private static int oneUserMessage(Encoding encoding, String content) {
        return 3 + encoding.countTokensOrdinary("user") + encoding.countTokensOrdinary(content) + 3;
    }

    private static ChatCompletionCreateParams chat(String content, long maxTokens) {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o")
                .addUserMessage(content)
                .maxCompletionTokens(maxTokens)
                .build();
    }

    @Test
    void aSyncChatCompletionParsesWithTheUsageTheUpstreamCounted() {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().completionTokens(7));
        String prompt = "Say this is a test, and nothing else.";

        ChatCompletion completion = client(upstream).chat().completions().create(chat(prompt, 100));

        assertThat(completion.model()).isEqualTo("gpt-4o");
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        String content = choice.message().content().orElseThrow();
        assertThat(O200K.countTokensOrdinary(content)).isEqualTo(7);
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(oneUserMessage(O200K, prompt));
        assertThat(usage.completionTokens()).isEqualTo(7);
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + 7);
        assertThat(upstream.arrivals()).singleElement().satisfies(a -> {
            assertThat(a.path).isEqualTo("/v1/chat/completions");
            assertThat(a.model).isEqualTo("gpt-4o");
            assertThat(a.status).isEqualTo(200);
            assertThat(a.promptTokens).isEqualTo(usage.promptTokens());
            assertThat(a.completionTokens).isEqualTo(7);
            assertThat(a.chargedTokens).isEqualTo(usage.promptTokens() + 100);
            assertThat(a.streamed).isFalse();
        });
    }

    @Test
    void anAsyncChatCompletionIsCutAtItsMaximum() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder());

        ChatCompletion completion = client(upstream).async().chat().completions().create(chat("Count to 100.", 5))
                .get(10, TimeUnit.SECONDS);

        assertThat(completion.choices().get(0).finishReason())
                .isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(5);
        assertThat(completion.usage().orElseThrow().promptTokens())
                .isEqualTo(oneUserMessage(O200K, "Count to 100."));
    }

    @Test
    void aStreamedChatCompletionEndsWithItsUsageAndTakesTime() {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().completionTokens(20)
                .streamGap(Duration.ofMillis(5)));
        ChatCompletionCreateParams params = chat("Tell me a story.", 200).toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();

        List<ChatCompletionChunk> chunks;
        long start = System.nanoTime();
        try (StreamResponse<ChatCompletionChunk> stream = client(upstream).chat().completions()
                .createStreaming(params)) {
            chunks = stream.stream().collect(java.util.stream.Collectors.toList());
        }
        long took = System.nanoTime() - start;

        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                choice.delta().content().ifPresent(text::append);
            }
        }
        assertThat(O200K.countTokensOrdinary(text.toString())).isEqualTo(20);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        CompletionUsage usage = last.usage().orElseThrow();
        assertThat(usage.completionTokens()).isEqualTo(20);
        assertThat(usage.promptTokens()).isEqualTo(oneUserMessage(O200K, "Tell me a story."));
        assertThat(chunks.get(chunks.size() - 2).choices().get(0).finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        // A role chunk, 20 tokens, the finish and the usage: 23 gaps of 5 ms at least.
        assertThat(chunks).hasSize(23);
        assertThat(took).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(22 * 5));
        assertThat(upstream.arrivals()).singleElement().satisfies(a -> assertThat(a.streamed).isTrue());
    }

    @Test
    void anEmbeddingComesAsTheBase64TheSdkAsksForAndDecodes() {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder());
        String input = "The food was delicious and the waiter was friendly.";

        CreateEmbeddingResponse response = client(upstream).embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small")
                .input(input)
                .dimensions(256)
                .build());

        List<Float> vector = response.data().get(0).embedding();
        assertThat(vector).hasSize(256);
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(response.usage().promptTokens()).isEqualTo(CL100K.countTokensOrdinary(input));
        assertThat(response.usage().totalTokens()).isEqualTo(response.usage().promptTokens());
        assertThat(upstream.arrivals()).singleElement()
                .satisfies(a -> assertThat(a.chargedTokens).isEqualTo(response.usage().promptTokens()));
    }

    @Test
    void aResponseCarriesItsTextAndUsage() {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().completionTokens(12));

        Response response = client(upstream).responses().create(ResponseCreateParams.builder()
                .model("gpt-4.1-mini")
                .instructions("Be brief.")
                .input("What is a token bucket?")
                .maxOutputTokens(64)
                .build());

        String text = response.output().get(0).message().orElseThrow().content().get(0).outputText()
                .orElseThrow().text();
        assertThat(O200K.countTokensOrdinary(text)).isEqualTo(12);
        ResponseUsage usage = response.usage().orElseThrow();
        int expectedInput = 3 + O200K.countTokensOrdinary("system") + O200K.countTokensOrdinary("Be brief.")
                + 3 + O200K.countTokensOrdinary("user") + O200K.countTokensOrdinary("What is a token bucket?") + 3;
        assertThat(usage.inputTokens()).isEqualTo(expectedInput);
        assertThat(usage.outputTokens()).isEqualTo(12);
        assertThat(usage.totalTokens()).isEqualTo(expectedInput + 12);
    }

    @Test
    void overTheTokensLimitTheSdkGetsA429ItCanRead() {
        // Each request is charged its prompt and a maximum of 100: the second does not fit in 150.
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().tokenLimit(150).requestLimit(100)
                .window(Duration.ofSeconds(60)));
        OpenAIClient client = client(upstream);
        client.chat().completions().create(chat("Hello", 100));

        RateLimitException e = catchThrowableOfType(RateLimitException.class,
                () -> client.chat().completions().create(chat("Hello", 100)));

        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.type()).contains("tokens");
        assertThat(e.code()).contains("rate_limit_exceeded");
        assertThat(e.getMessage()).contains("Rate limit reached for gpt-4o on tokens per 1m0s: Limit 150");
        assertThat(e.headers().values("Retry-After")).containsExactly("1");
        assertThat(e.headers().values("retry-after-ms")).containsExactly("1000");
        assertThat(e.headers().values("x-ratelimit-remaining-requests")).containsExactly("99");
        assertThat(upstream.count(429)).isEqualTo(1);
        assertThat(upstream.arrivals().get(1).refusedOn).isEqualTo("tokens");
    }

    @Test
    void byDefaultTheSdkRetriesA429AfterTheRetryAfterMsItWasGiven() {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().requestLimit(1).window(Duration.ofSeconds(1))
                .retryAfterUntilRoom(true));
        OpenAIClient retrying = OpenAIOkHttpClient.builder()
                .baseUrl(upstream.baseUrl())
                .apiKey("test")
                .timeout(Duration.ofSeconds(10))
                .build();
        open.add(retrying::close);
        retrying.chat().completions().create(chat("Hello", 10));

        ChatCompletion second = retrying.chat().completions().create(chat("Hello", 10));

        assertThat(second.choices()).hasSize(1);
        List<OpenAiUpstream.Arrival> arrivals = upstream.arrivals();
        assertThat(arrivals).extracting(a -> a.status).containsExactly(200, 429, 200);
        // It waited for the room the 429 announced, and no longer than the window.
        assertThat(arrivals.get(2).nanos - arrivals.get(0).nanos)
                .isBetween(TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void theSdkSeesTheRateLimitHeaders() {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().requestLimit(10).tokenLimit(10_000)
                .window(Duration.ofSeconds(60)));
        int prompt = oneUserMessage(O200K, "Hello");

        HttpResponseFor<ChatCompletion> raw = client(upstream).chat().completions().withRawResponse()
                .create(chat("Hello", 100));

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().values("x-ratelimit-limit-requests")).containsExactly("10");
        assertThat(raw.headers().values("x-ratelimit-limit-tokens")).containsExactly("10000");
        assertThat(raw.headers().values("x-ratelimit-remaining-requests")).containsExactly("9");
        assertThat(raw.headers().values("x-ratelimit-remaining-tokens"))
                .containsExactly(Integer.toString(10_000 - prompt - 100));
        // The whole window, less the moment since the request arrived.
        assertThat(raw.headers().values("x-ratelimit-reset-requests").get(0)).matches("(59\\.\\d+s|1m0s)");
        assertThat(raw.headers().values("x-ratelimit-reset-tokens").get(0)).matches("(59\\.\\d+s|1m0s)");
        assertThat(raw.parse().usage().orElseThrow().promptTokens()).isEqualTo(prompt);
    }
}
