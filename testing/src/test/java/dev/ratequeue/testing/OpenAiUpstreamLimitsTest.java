package dev.ratequeue.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limits, charges, headers and records of {@link OpenAiUpstream}, over plain HTTP. */
class OpenAiUpstreamLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "/v1/chat/completions";
    private static final Duration WINDOW = Duration.ofSeconds(1);

    // HTTP/1.1 from the start: no h2c upgrade to wait on before requests go out in parallel.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<OpenAiUpstream> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(OpenAiUpstream::close);
    }

    private OpenAiUpstream start(OpenAiUpstream.Builder builder) {
        OpenAiUpstream upstream = builder.start();
        open.add(upstream);
        return upstream;
    }

    private static String chatBody(String content, int maxTokens) {
        return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}],"
                + "\"max_tokens\":" + maxTokens + "}";
    }

    private HttpResponse<String> post(OpenAiUpstream upstream, String pathAndQuery, String body, String... headers)
            throws IOException, InterruptedException {
        return http.send(request(upstream, pathAndQuery, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(OpenAiUpstream upstream, String pathAndQuery, String body,
            String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(upstream.uri(pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** Waits as long as the 429 said, to the millisecond. */
    private static void waitAsTold(HttpResponse<?> refused) throws InterruptedException {
        Thread.sleep(Long.parseLong(header(refused, "retry-after-ms")));
    }

    private int promptOf(OpenAiUpstream upstream, String content) throws Exception {
        HttpResponse<String> r = post(upstream, CHAT, chatBody(content, 1));
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r).path("usage").path("prompt_tokens").asInt();
    }

    @Test
    void theRequestsLimitSlidesWithTheWindow() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().requestLimit(3).window(WINDOW)
                .retryAfterUntilRoom(true));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = post(upstream, CHAT, chatBody("hi", 10));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(header(ok, "x-ratelimit-remaining-requests")).isEqualTo(Integer.toString(2 - i));
        }

        HttpResponse<String> refused = post(upstream, CHAT, chatBody("hi", 10));

        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = json(refused).path("error");
        assertThat(error.path("type").asText()).isEqualTo("requests");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("message").asText()).contains("on requests per 1s: Limit 3, Used 3, Requested 1");
        assertThat(header(refused, "x-ratelimit-remaining-requests")).isEqualTo("0");
        long retryMs = Long.parseLong(header(refused, "retry-after-ms"));
        assertThat(retryMs).isBetween(1L, 1000L);
        assertThat(header(refused, "Retry-After")).isEqualTo("1");

        waitAsTold(refused);
        assertThat(post(upstream, CHAT, chatBody("hi", 10)).statusCode()).as("the first request has left")
                .isEqualTo(200);
        assertThat(upstream.count(200)).isEqualTo(4);
        assertThat(upstream.count(429)).isEqualTo(1);
        assertThat(upstream.maxAcceptedInAnyWindow(WINDOW)).isEqualTo(3);
        assertThat(upstream.maxRequestsInAnyWindow(WINDOW)).isEqualTo(4);
    }

    @Test
    void estimateChargesThePromptAndTheWholeMaximum() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().tokenLimit(250)
                .charge(OpenAiUpstream.ChargeMode.ESTIMATE));
        HttpResponse<String> first = post(upstream, CHAT, chatBody("hi", 100),
                OpenAiUpstream.COMPLETION_TOKENS_HEADER, "5");
        int prompt = json(first).path("usage").path("prompt_tokens").asInt();
        assertThat(json(first).path("usage").path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(header(first, "x-ratelimit-remaining-tokens")).isEqualTo(Integer.toString(250 - prompt - 100));

        assertThat(post(upstream, CHAT, chatBody("hi", 100), OpenAiUpstream.COMPLETION_TOKENS_HEADER, "5")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> third = post(upstream, CHAT, chatBody("hi", 100),
                OpenAiUpstream.COMPLETION_TOKENS_HEADER, "5");

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(json(third).path("error").path("type").asText()).isEqualTo("tokens");
        assertThat(json(third).path("error").path("message").asText())
                .contains("Used " + 2 * (prompt + 100) + ", Requested " + (prompt + 100));
        assertThat(upstream.tokensAccepted()).isEqualTo(2 * (prompt + 100));
        assertThat(upstream.tokensUsed()).isEqualTo(2 * (prompt + 5));
        assertThat(upstream.arrivals().get(2).chargedTokens).isEqualTo(prompt + 100);
        assertThat(upstream.arrivals().get(2).completionTokens).isZero();
    }

    @Test
    void actualChargesThePromptAndWhatWasWritten() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().tokenLimit(250)
                .charge(OpenAiUpstream.ChargeMode.ACTUAL));
        int prompt = promptOf(upstream, "hi");
        int sent = 1;
        while (post(upstream, CHAT, chatBody("hi", 100), OpenAiUpstream.COMPLETION_TOKENS_HEADER, "5")
                .statusCode() == 200) {
            sent++;
        }
        // The first request wrote 1 token, each other 5: as many as fit in 250.
        assertThat(upstream.tokensAccepted()).isEqualTo(prompt + 1 + (long) (sent - 1) * (prompt + 5));
        assertThat(upstream.tokensAccepted()).isLessThanOrEqualTo(250).isGreaterThan(250 - (prompt + 5));
        assertThat(upstream.tokensAccepted()).isEqualTo(upstream.tokensUsed());
    }

    @Test
    void aRequestWithoutAMaximumIsChargedTheAssumedOne() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().tokenLimit(10_000).assumedMaxTokens(700)
                .completionTokens(3));
        HttpResponse<String> r = post(upstream, CHAT,
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        int prompt = json(r).path("usage").path("prompt_tokens").asInt();
        assertThat(json(r).path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(upstream.arrivals().get(0).chargedTokens).isEqualTo(prompt + 700);
    }

    @Test
    void theTokensWindowSlidesAndNeverHoldsMoreThanTheLimit() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().tokenLimit(300).window(WINDOW)
                .retryAfterUntilRoom(true));
        HttpResponse<String> last;
        do {
            last = post(upstream, CHAT, chatBody("hi", 100));
        } while (last.statusCode() == 200);
        assertThat(upstream.accepted()).isEqualTo(2);

        waitAsTold(last);
        assertThat(post(upstream, CHAT, chatBody("hi", 100)).statusCode()).isEqualTo(200);
        assertThat(upstream.maxTokensInAnyWindow(WINDOW)).isLessThanOrEqualTo(300);
        assertThat(upstream.maxTokensInAnyWindow(WINDOW.multipliedBy(10)))
                .isEqualTo(upstream.tokensAccepted());
    }

    @Test
    void aRequestLargerThanTheWholeLimitIsTooLarge() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().tokenLimit(50).retryAfterUntilRoom(true)
                .retryAfter(Duration.ofSeconds(3)));
        HttpResponse<String> r = post(upstream, CHAT, chatBody("hi", 100));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(json(r).path("error").path("message").asText()).startsWith("Request too large for gpt-4o");
        assertThat(header(r, "Retry-After")).as("never fits: the fixed Retry-After").isEqualTo("3");
    }

    @Test
    void theLimitsChangeWhileRunning() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().requestLimit(10).tokenLimit(100_000));
        post(upstream, CHAT, chatBody("hi", 10));
        post(upstream, CHAT, chatBody("hi", 10));

        upstream.requestLimit(2);
        HttpResponse<String> refused = post(upstream, CHAT, chatBody("hi", 10));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(header(refused, "x-ratelimit-limit-requests")).isEqualTo("2");

        upstream.requestLimit(5);
        upstream.tokenLimit(30);
        HttpResponse<String> tooMany = post(upstream, CHAT, chatBody("hi", 10));
        assertThat(json(tooMany).path("error").path("type").asText()).isEqualTo("tokens");
        upstream.tokenLimit(0);
        HttpResponse<String> ok = post(upstream, CHAT, chatBody("hi", 10));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(header(ok, "x-ratelimit-remaining-requests")).isEqualTo("2");
        assertThat(header(ok, "x-ratelimit-limit-tokens")).as("no limit, not disclosed").isNull();
    }

    @Test
    void anthropicStyleHeaders() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().requestLimit(1).tokenLimit(1000)
                .headers(OpenAiUpstream.HeaderStyle.ANTHROPIC));
        HttpResponse<String> ok = post(upstream, CHAT, chatBody("hi", 10));
        assertThat(header(ok, "anthropic-ratelimit-requests-limit")).isEqualTo("1");
        assertThat(header(ok, "anthropic-ratelimit-requests-remaining")).isEqualTo("0");
        assertThat(header(ok, "anthropic-ratelimit-tokens-limit")).isEqualTo("1000");
        assertThat(header(ok, "anthropic-ratelimit-requests-reset"))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z");
        assertThat(header(ok, "x-ratelimit-limit-requests")).isNull();

        HttpResponse<String> refused = post(upstream, CHAT, chatBody("hi", 10));
        assertThat(header(refused, "Retry-After")).isEqualTo("1");
        assertThat(header(refused, "retry-after-ms")).as("OpenAI's alone").isNull();
    }

    @Test
    void ietfStyleHeaders() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().requestLimit(5).tokenLimit(1000)
                .window(Duration.ofSeconds(60)).headers(OpenAiUpstream.HeaderStyle.IETF));
        HttpResponse<String> ok = post(upstream, CHAT, chatBody("hi", 10));
        assertThat(header(ok, "RateLimit-Policy")).isEqualTo("\"default\";q=5;w=60");
        assertThat(header(ok, "RateLimit")).isEqualTo("\"default\";r=4;t=60");
        assertThat(header(ok, "x-ratelimit-limit-tokens")).isNull();
    }

    @Test
    void anUndisclosedLimitSendsNoHeaderAtAll() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().requestLimit(1)
                .headers(OpenAiUpstream.HeaderStyle.NONE));
        HttpResponse<String> ok = post(upstream, CHAT, chatBody("hi", 10));
        HttpResponse<String> refused = post(upstream, CHAT, chatBody("hi", 10));
        assertThat(refused.statusCode()).isEqualTo(429);
        for (HttpResponse<String> r : List.of(ok, refused)) {
            assertThat(r.headers().map().keySet())
                    .noneMatch(h -> h.toLowerCase().contains("ratelimit") || h.toLowerCase().startsWith("retry"));
        }
    }

    @Test
    void recordsWorkersAndStreamsAndTimesThem() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().completionTokens(10)
                .streamGap(Duration.ofMillis(10)));
        String streamed = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        long start = System.nanoTime();
        HttpResponse<String> r = post(upstream, CHAT + "?worker=w1", streamed);
        long took = System.nanoTime() - start;
        post(upstream, CHAT, chatBody("hi", 10), OpenAiUpstream.WORKER_HEADER, "w2");

        assertThat(header(r, "Content-Type")).startsWith("text/event-stream");
        String[] events = r.body().split("\n\n");
        // The role, 10 tokens, the finish, the usage and [DONE].
        assertThat(events).hasSize(14);
        assertThat(events[0]).startsWith("data: {\"id\":\"chatcmpl-");
        assertThat(events[13]).isEqualTo("data: [DONE]");
        JsonNode usage = JSON.readTree(events[12].substring("data: ".length())).path("usage");
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(10);
        assertThat(JSON.readTree(events[1].substring("data: ".length())).path("usage").isNull())
                .as("usage: null on every chunk but the last").isTrue();
        assertThat(took).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(13 * 10));

        List<OpenAiUpstream.Arrival> arrivals = upstream.arrivals();
        assertThat(arrivals).extracting(a -> a.worker).containsExactly("w1", "w2");
        assertThat(arrivals).extracting(a -> a.streamed).containsExactly(true, false);
        assertThat(arrivals.get(0).nanos).isLessThan(arrivals.get(1).nanos);
    }

    @Test
    void completionsAnswerEachPromptAndStreamToo() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder());
        HttpResponse<String> r = post(upstream, "/v1/completions",
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":[\"Say hi\",\"Say bye\"],\"max_tokens\":4}");
        JsonNode body = json(r);
        assertThat(body.path("object").asText()).isEqualTo("text_completion");
        assertThat(body.path("choices")).hasSize(2);
        assertThat(body.path("choices").get(1).path("finish_reason").asText()).isEqualTo("length");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(8);

        HttpResponse<String> s = post(upstream, "/v1/completions",
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\",\"stream\":true}");
        assertThat(s.body()).endsWith("data: [DONE]\n\n");
        // OpenAI's default maximum for completions: 16 tokens, each its own event, then the finish.
        assertThat(s.body().split("\n\n")).hasSize(16 + 2);
    }

    @Test
    void malformedRequestsAreRefusedAsOpenAiWouldAndNotCharged() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().requestLimit(5));
        HttpResponse<String> missing = post(upstream, CHAT, "{\"model\":\"gpt-4o\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(json(missing).path("error").path("param").asText()).isEqualTo("messages");
        HttpResponse<String> badHeader = post(upstream, CHAT, chatBody("hi", 10),
                OpenAiUpstream.COMPLETION_TOKENS_HEADER, "many");
        assertThat(json(badHeader).path("error").path("message").asText())
                .contains(OpenAiUpstream.COMPLETION_TOKENS_HEADER).contains("'many'");
        HttpResponse<String> unknown = post(upstream, "/v1/images/generations", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").path("code").asText()).isEqualTo("unknown_url");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(upstream.uri(CHAT)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);

        HttpResponse<String> ok = post(upstream, CHAT, chatBody("hi", 10));
        assertThat(header(ok, "x-ratelimit-remaining-requests")).isEqualTo("4");
        assertThat(upstream.arrivals()).extracting(a -> a.status).containsExactly(400, 400, 404, 405, 200);
    }

    @Test
    void countsTheRequestsInFlightAtOnce() throws Exception {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder().responseDelay(Duration.ofMillis(300)));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(http.sendAsync(request(upstream, CHAT, chatBody("hi", 10)),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(upstream.maxConcurrent()).isEqualTo(3);
    }

    @Test
    void theBaseUrlIsWhatAnOpenAiClientTakes() {
        OpenAiUpstream upstream = start(OpenAiUpstream.builder());
        assertThat(upstream.baseUrl()).isEqualTo("http://127.0.0.1:" + upstream.port() + "/v1");
        assertThat(URI.create(upstream.baseUrl() + "/chat/completions")).isEqualTo(upstream.uri(CHAT));
    }
}
