package dev.ratequeue.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ratequeue.testing.openai.Answer;
import dev.ratequeue.testing.openai.ApiRequest;
import dev.ratequeue.testing.openai.Endpoint;
import dev.ratequeue.testing.openai.EventStream;
import dev.ratequeue.testing.openai.InvalidRequestException;
import dev.ratequeue.testing.openai.OpenAiDuration;
import dev.ratequeue.testing.openai.RateLimitHeaders;
import dev.ratequeue.testing.openai.RequestParser;
import dev.ratequeue.testing.openai.ResponseBodies;
import dev.ratequeue.testing.openai.RefillingBucketLimit;
import dev.ratequeue.testing.openai.SlidingWindowLimit;
import dev.ratequeue.testing.openai.Tokenizer;
import dev.ratequeue.testing.openai.UpstreamLimit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * A local upstream shaped like the OpenAI API, close enough that the OpenAI Java SDK talks to it unchanged, that
 * enforces a requests limit and a tokens limit the way OpenAI does and counts everything, for tests of a rate limiter.
 *
 * <h2>Endpoints</h2>
 * {@code POST} {@code /v1/chat/completions}, {@code /v1/completions}, {@code /v1/embeddings} and {@code /v1/responses},
 * with the request and response bodies OpenAI documents (see {@link RequestParser} for what is read, and
 * {@link ResponseBodies} for what is written). Chat completions and completions stream when asked to
 * ({@code stream}, {@code stream_options.include_usage}): one {@code data:} event per token, {@code streamGap}
 * apart, then {@code data: [DONE]}. Another path answers {@code 404}, another method {@code 405}, a malformed body
 * {@code 400}, each with OpenAI's error body; none of these is charged.
 *
 * <h2>Tokens</h2>
 * Prompts are counted with the model's real tokenizer ({@link Tokenizer}), messages as OpenAI's cookbook counts them
 * ({@code PromptCounter}). Each completion is {@code completionTokens} tokens of deterministic text (50 unless set),
 * or what the request's {@value #COMPLETION_TOKENS_HEADER} header says, and never more than the request's own
 * maximum ({@code max_tokens}, {@code max_completion_tokens}, {@code max_output_tokens}), where it stops with
 * {@code finish_reason: length}. {@code usage} reports what was really counted.
 *
 * <h2>Limits</h2>
 * At most {@code requestLimit} requests and {@code tokenLimit} tokens in any sliding {@code window} (60 s unless set;
 * 0 is no limit), checked at each arrival against a log of what was admitted ({@link SlidingWindowLimit}), or, with
 * {@code refillingBuckets}, in buckets of that size that refill continuously ({@link RefillingBucketLimit}). A request
 * is charged, on arrival, {@code prompt + max_tokens} for every completion it asks for ({@link ChargeMode#ESTIMATE},
 * as OpenAI does; a chat or responses request without a maximum counts {@code assumedMaxTokens}, by default the
 * default completion length), or {@code prompt + the completion it gets} ({@link ChargeMode#ACTUAL}); an embedding
 * is charged its input only. Beyond a limit: {@code 429} with
 * {@code {"error":{"message","type":"requests"|"tokens","param":null,"code":"rate_limit_exceeded"}}} (a request
 * charged more than the whole tokens limit: "Request too large"), {@code Retry-After} in whole seconds rounded up and,
 * in the OpenAI style, {@code retry-after-ms}: {@code retryAfter} (1 s unless set) or, with
 * {@code retryAfterUntilRoom}, the time until the refused request would fit. Limits can shrink or grow while
 * running: {@link #requestLimit(int)}, {@link #tokenLimit(long)}.
 *
 * <h2>Headers</h2>
 * On every answer to an endpoint, 429s included, in one {@link HeaderStyle}: OpenAI's {@code x-ratelimit-*} (the
 * default), Anthropic's {@code anthropic-ratelimit-*}, the IETF draft's {@code RateLimit}/{@code RateLimit-Policy}, only
 * a 429's {@code Retry-After}, or none at all, not even that. Every reset is the time until the window has fully reset, that is until
 * everything it holds has left it, rounded up; {@link RateLimitHeaders} has the formats.
 *
 * <h2>Records</h2>
 * Every request: arrival, path, model, worker ({@code worker} query parameter or {@value #WORKER_HEADER} header),
 * status, tokens, streamed or not ({@link Arrival}); and the most requests in flight at once. A request stops counting
 * as in flight just before its response is finished, as in {@link StrictUpstream}.
 *
 * <h2>Where it deliberately differs from OpenAI</h2>
 * <ul>
 *   <li>One limit for the whole upstream, not one per model; a sliding log, where OpenAI replenishes continuously;
 *   the prompt counted exactly, where OpenAI estimates it from characters for its limiter.</li>
 *   <li>No authentication: any API key, or none, is accepted. No state: nothing is stored or retrievable.</li>
 *   <li>{@code n} is ignored (one choice, or one per prompt of {@code /v1/completions}). Tool definitions are not
 *   counted, and image, audio and file parts count nothing; content is filler text.</li>
 *   <li>{@code /v1/responses} and {@code /v1/embeddings} do not stream: {@code stream: true} there is a 400.</li>
 * </ul>
 */
public final class OpenAiUpstream implements AutoCloseable {

    /** The header a test sets to choose the length of a request's completion. */
    public static final String COMPLETION_TOKENS_HEADER = "X-Test-Completion-Tokens";
    /** The header that names the client, where the {@code worker} query parameter does not. */
    public static final String WORKER_HEADER = "X-Test-Worker";

    /** What a request is charged against the tokens limit when it arrives. */
    public enum ChargeMode {
        /** Its prompt and the most it lets the model write: what OpenAI charges. */
        ESTIMATE,
        /** Its prompt and the completion it will get. */
        ACTUAL
    }

    /** How the limits are disclosed. */
    public enum HeaderStyle {
        /** {@code x-ratelimit-limit-requests}, {@code -tokens}, {@code x-ratelimit-remaining-*}, {@code x-ratelimit-reset-*}. */
        OPENAI,
        /** {@code anthropic-ratelimit-requests-limit}, {@code -remaining}, {@code -reset}, and for tokens. */
        ANTHROPIC,
        /** {@code RateLimit-Policy: "default";q=..;w=..} and {@code RateLimit: "default";r=..;t=..} (requests only). */
        IETF,
        /** No rate-limit header; a 429 says {@code Retry-After} (whole seconds) and nothing more. */
        RETRY_AFTER_ONLY,
        /** An undisclosed limit: no rate-limit header, no {@code Retry-After}; a 429 is all a client learns. */
        NONE
    }

    /** One request as the upstream saw it. */
    public static final class Arrival {
        /** When it was admitted or refused ({@link System#nanoTime()}); for a malformed one, when it was read. */
        public final long nanos;
        public final String path;
        /** Null when the body named none. */
        public final String model;
        public final String worker;
        public final int status;
        /** {@code "requests"} or {@code "tokens"} for a 429; null otherwise. */
        public final String refusedOn;
        public final int promptTokens;
        /** What its answer carried; 0 when refused. */
        public final int completionTokens;
        /** What the tokens limit counted for it or, refused, would have counted. */
        public final long chargedTokens;
        /** It asked for a stream (and, accepted, got one). */
        public final boolean streamed;

        Arrival(long nanos, String path, String model, String worker, int status, String refusedOn, int promptTokens,
                int completionTokens, long chargedTokens, boolean streamed) {
            this.nanos = nanos;
            this.path = path;
            this.model = model;
            this.worker = worker;
            this.status = status;
            this.refusedOn = refusedOn;
            this.promptTokens = promptTokens;
            this.completionTokens = completionTokens;
            this.chargedTokens = chargedTokens;
            this.streamed = streamed;
        }

        public boolean accepted() {
            return status == 200;
        }

        @Override
        public String toString() {
            return path + (worker == null ? "" : "<" + worker + ">") + "=" + status
                    + (refusedOn == null ? "" : "(" + refusedOn + ")") + " " + model + " p" + promptTokens + "+c"
                    + completionTokens + " charged " + chargedTokens + (streamed ? " streamed" : "") + "@" + nanos;
        }
    }

    static {
        // As in StrictUpstream: without it the client's delayed ACK holds every response 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final UpstreamLimit limit;
    private final ChargeMode chargeMode;
    private final HeaderStyle headerStyle;
    private final int completionTokens;
    private final int assumedMaxTokens;
    private final long streamGapNanos;
    private final long responseDelayMillis;
    private final long retryAfterNanos;
    private final boolean retryAfterUntilRoom;
    private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();

    private OpenAiUpstream(Builder b) {
        this.limit = b.refillingBuckets
                ? new RefillingBucketLimit(b.requestLimit, b.tokenLimit, b.window.toNanos())
                : new SlidingWindowLimit(b.requestLimit, b.tokenLimit, b.window.toNanos());
        this.chargeMode = b.chargeMode;
        this.headerStyle = b.headerStyle;
        this.completionTokens = b.completionTokens;
        this.assumedMaxTokens = b.assumedMaxTokens == null ? b.completionTokens : b.assumedMaxTokens;
        this.streamGapNanos = b.streamGap.toNanos();
        this.responseDelayMillis = b.responseDelay.toMillis();
        this.retryAfterNanos = b.retryAfter.toNanos();
        this.retryAfterUntilRoom = b.retryAfterUntilRoom;
        // Loading a tokenizer takes about a second: not during the first request a test times.
        Tokenizer.warmUp();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "openai-upstream");
            t.setDaemon(true);
            return t;
        });
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open a loopback port for the OpenAI upstream", e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code host:port} as a resource's {@code match} names it. */
    public String hostAndPort() {
        return "127.0.0.1:" + port();
    }

    /** What an OpenAI client takes as its base URL: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** From the next arrival on, at most {@code newLimit} requests per window (0: none): a quota that changed. */
    public void requestLimit(int newLimit) {
        limit.requestLimit(newLimit);
    }

    /** From the next arrival on, at most {@code newLimit} tokens per window (0: none): a quota that changed. */
    public void tokenLimit(long newLimit) {
        limit.tokenLimit(newLimit);
    }

    public int requestLimit() {
        return limit.requestLimit();
    }

    public long tokenLimit() {
        return limit.tokenLimit();
    }

    public Duration window() {
        return Duration.ofNanos(limit.windowNanos());
    }

    /** One request's place in the in-flight count; ends once, whichever way the request ends. */
    private final class Flight {
        private boolean over;

        Flight() {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        }

        void end() {
            if (!over) {
                over = true;
                inFlight.decrementAndGet();
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Flight flight = new Flight();
        try {
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            String worker = HttpExchanges.query(uri.getRawQuery()).getOrDefault("worker",
                    exchange.getRequestHeaders().getFirst(WORKER_HEADER));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Endpoint endpoint = Endpoint.at(path);
            if (endpoint == null) {
                refuseMalformed(exchange, flight, path, worker, 404, "Unknown request URL: "
                        + exchange.getRequestMethod() + " " + path + ". This upstream answers "
                        + String.join(", ", paths()) + ".", null, "unknown_url");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                refuseMalformed(exchange, flight, path, worker, 405, exchange.getRequestMethod()
                        + " is not allowed on " + path + ": only POST", null, "method_not_allowed");
                return;
            }
            ApiRequest request;
            int length;
            try {
                request = RequestParser.parse(endpoint, body);
                length = completionLength(exchange);
            } catch (InvalidRequestException e) {
                refuseMalformed(exchange, flight, path, worker, 400, e.getMessage(), e.param, null);
                return;
            }
            long id = seq.incrementAndGet();
            Answer answer = new Answer(request, length, id);
            long charge = charge(request, answer);
            UpstreamLimit.Decision decision = limit.admit(charge);
            exchange.getResponseHeaders().set("x-request-id", "req_rq" + id);
            rateLimitHeaders(exchange, decision);
            if (!decision.admitted()) {
                String on = decision.refusal == UpstreamLimit.Refusal.REQUESTS ? "requests" : "tokens";
                arrivals.add(new Arrival(decision.nanos, path, request.model, worker, 429, on,
                        request.totalPromptTokens(), 0, charge, request.stream));
                retryAfter(exchange, decision);
                flight.end();
                sendJson(exchange, 429, ResponseBodies.error(refusalMessage(request, decision, charge), on, null,
                        "rate_limit_exceeded"));
                return;
            }
            arrivals.add(new Arrival(decision.nanos, path, request.model, worker, 200, null,
                    request.totalPromptTokens(), answer.completionTokens(), charge, request.stream));
            long created = System.currentTimeMillis() / 1000;
            if (request.stream) {
                stream(exchange, flight, answer, created);
                return;
            }
            HttpExchanges.sleep(responseDelayMillis);
            flight.end();
            sendJson(exchange, 200, answer.body(created));
        } catch (RuntimeException e) {
            flight.end();
            sendJson(exchange, 500, ResponseBodies.error("The test upstream failed: " + e, "server_error", null,
                    null));
        } finally {
            flight.end();
        }
    }

    private static List<String> paths() {
        List<String> paths = new ArrayList<>();
        for (Endpoint e : Endpoint.values()) {
            paths.add(e.path);
        }
        return paths;
    }

    private int completionLength(HttpExchange exchange) throws InvalidRequestException {
        String value = exchange.getRequestHeaders().getFirst(COMPLETION_TOKENS_HEADER);
        if (value == null) {
            return completionTokens;
        }
        try {
            int tokens = Integer.parseInt(value.trim());
            if (tokens >= 0) {
                return tokens;
            }
        } catch (NumberFormatException e) {
            // Named below, with the value.
        }
        throw new InvalidRequestException("Invalid " + COMPLETION_TOKENS_HEADER + " header: expected a number of"
                + " tokens, 0 or more, not '" + value + "'", null);
    }

    private long charge(ApiRequest request, Answer answer) {
        long prompt = request.totalPromptTokens();
        if (request.endpoint == Endpoint.EMBEDDINGS) {
            return prompt;
        }
        if (chargeMode == ChargeMode.ACTUAL) {
            return prompt + answer.completionTokens();
        }
        long max = request.maxTokens == null ? assumedMaxTokens : request.maxTokens;
        return prompt + max * request.completions();
    }

    private void refuseMalformed(HttpExchange exchange, Flight flight, String path, String worker, int status,
            String message, String param, String code) throws IOException {
        arrivals.add(new Arrival(System.nanoTime(), path, null, worker, status, null, 0, 0, 0, false));
        flight.end();
        sendJson(exchange, status, ResponseBodies.error(message, "invalid_request_error", param, code));
    }

    private String refusalMessage(ApiRequest request, UpstreamLimit.Decision d, long charge) {
        String per = " per " + OpenAiDuration.format(limit.windowNanos());
        switch (d.refusal) {
            case TOO_LARGE:
                return "Request too large for " + request.model + " on tokens" + per + ": Limit " + d.tokenLimit
                        + ", Requested " + charge + ". The input or output tokens must be reduced in order to run"
                        + " successfully.";
            case REQUESTS:
                return "Rate limit reached for " + request.model + " on requests" + per + ": Limit "
                        + d.requestLimit + ", Used " + d.requestsUsedBefore + ", Requested 1. Please try again in "
                        + OpenAiDuration.format(d.untilRoomNanos) + ".";
            default:
                return "Rate limit reached for " + request.model + " on tokens" + per + ": Limit " + d.tokenLimit
                        + ", Used " + d.tokensUsedBefore + ", Requested " + charge + ". Please try again in "
                        + OpenAiDuration.format(d.untilRoomNanos) + ".";
        }
    }

    private void rateLimitHeaders(HttpExchange exchange, UpstreamLimit.Decision d) {
        Map<String, String> headers;
        switch (headerStyle) {
            case OPENAI:
                headers = RateLimitHeaders.openAi(d);
                break;
            case ANTHROPIC:
                headers = RateLimitHeaders.anthropic(d, Instant.now());
                break;
            case IETF:
                headers = RateLimitHeaders.ietf(d, limit.windowNanos());
                break;
            default:
                headers = Map.of();
        }
        headers.forEach(exchange.getResponseHeaders()::set);
    }

    private void retryAfter(HttpExchange exchange, UpstreamLimit.Decision d) {
        if (headerStyle == HeaderStyle.NONE) {
            return;
        }
        long nanos = retryAfterUntilRoom && d.untilRoomNanos > 0 ? d.untilRoomNanos : retryAfterNanos;
        exchange.getResponseHeaders().set("Retry-After", Long.toString(RateLimitHeaders.ceilSeconds(nanos)));
        if (headerStyle == HeaderStyle.OPENAI) {
            exchange.getResponseHeaders().set("retry-after-ms", Long.toString(RateLimitHeaders.ceilMillis(nanos)));
        }
    }

    private void stream(HttpExchange exchange, Flight flight, Answer answer, long created) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            HttpExchanges.sleep(responseDelayMillis);
            answer.stream(new EventStream(out, streamGapNanos), created);
        } catch (IOException e) {
            // The client went away mid-stream; the stream is over either way.
        } finally {
            // Before the last chunk goes out, as for any answer: a client's next request never finds this one
            // still counted.
            flight.end();
            exchange.close();
        }
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        HttpExchanges.send(exchange, status, ResponseBodies.bytes(body));
    }

    /** Every request so far, in order of arrival. */
    public List<Arrival> arrivals() {
        List<Arrival> copy;
        synchronized (arrivals) {
            copy = new ArrayList<>(arrivals);
        }
        // Records are added after the decision, so two close requests may be recorded out of order.
        copy.sort(Comparator.comparingLong(a -> a.nanos));
        return copy;
    }

    public long count(int status) {
        return arrivals().stream().filter(a -> a.status == status).count();
    }

    /** Requests answered 200. */
    public long accepted() {
        return count(200);
    }

    /** The tokens the limit counted for all accepted requests: what they were charged. */
    public long tokensAccepted() {
        return arrivals().stream().filter(Arrival::accepted).mapToLong(a -> a.chargedTokens).sum();
    }

    /** The tokens accepted requests really used, as their {@code usage} said: prompt and completion. */
    public long tokensUsed() {
        return arrivals().stream().filter(Arrival::accepted).mapToLong(a -> a.promptTokens + a.completionTokens)
                .sum();
    }

    public int maxConcurrent() {
        return maxInFlight.get();
    }

    /** The most requests, refused and malformed ones included, that arrived within any {@code window}. */
    public long maxRequestsInAnyWindow(Duration window) {
        return maxInAnyWindow(arrivals(), window, a -> 1);
    }

    /** The most accepted requests within any {@code window}. */
    public long maxAcceptedInAnyWindow(Duration window) {
        return maxInAnyWindow(accepted(arrivals()), window, a -> 1);
    }

    /** The most tokens charged to accepted requests within any {@code window}. */
    public long maxTokensInAnyWindow(Duration window) {
        return maxInAnyWindow(accepted(arrivals()), window, a -> a.chargedTokens);
    }

    private static List<Arrival> accepted(List<Arrival> all) {
        List<Arrival> accepted = new ArrayList<>();
        for (Arrival a : all) {
            if (a.accepted()) {
                accepted.add(a);
            }
        }
        return accepted;
    }

    /**
     * The largest sum of {@code weight} over arrivals of {@code all} (in order of arrival) less than {@code window}
     * apart, the window the upstream itself keeps.
     */
    public static long maxInAnyWindow(List<Arrival> all, Duration window, ToLongFunction<Arrival> weight) {
        long w = window.toNanos();
        long best = 0;
        long sum = 0;
        int start = 0;
        for (int end = 0; end < all.size(); end++) {
            sum += weight.applyAsLong(all.get(end));
            while (all.get(end).nanos - all.get(start).nanos >= w) {
                sum -= weight.applyAsLong(all.get(start));
                start++;
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private int requestLimit;
        private long tokenLimit;
        private Duration window = Duration.ofSeconds(60);
        private ChargeMode chargeMode = ChargeMode.ESTIMATE;
        private HeaderStyle headerStyle = HeaderStyle.OPENAI;
        private int completionTokens = 50;
        private Integer assumedMaxTokens;
        private Duration streamGap = Duration.ofMillis(2);
        private Duration responseDelay = Duration.ZERO;
        private Duration retryAfter = Duration.ofSeconds(1);
        private boolean retryAfterUntilRoom;
        private boolean refillingBuckets;

        /** At most {@code limit} requests in any window; 0 (the default): no requests limit. */
        public Builder requestLimit(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("A requests limit is 0 (none) or more, not " + limit);
            }
            this.requestLimit = limit;
            return this;
        }

        /** At most {@code limit} tokens charged in any window; 0 (the default): no tokens limit. */
        public Builder tokenLimit(long limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("A tokens limit is 0 (none) or more, not " + limit);
            }
            this.tokenLimit = limit;
            return this;
        }

        /** The sliding window both limits count over; 60 s unless set. */
        public Builder window(Duration window) {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("The window must be longer than 0, not " + window);
            }
            this.window = window;
            return this;
        }

        /** What a request is charged on arrival; {@link ChargeMode#ESTIMATE} unless set. */
        public Builder charge(ChargeMode mode) {
            this.chargeMode = mode;
            return this;
        }

        /** The disclosure of the limits; {@link HeaderStyle#OPENAI} unless set. */
        public Builder headers(HeaderStyle style) {
            this.headerStyle = style;
            return this;
        }

        /** How long a completion is, unless the request's maximum or its
         * {@value OpenAiUpstream#COMPLETION_TOKENS_HEADER} header says. */
        public Builder completionTokens(int tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("A completion is 0 tokens or more, not " + tokens);
            }
            this.completionTokens = tokens;
            return this;
        }

        /**
         * The maximum {@link ChargeMode#ESTIMATE} charges for a chat or responses request that sets none; the
         * default completion length unless set. ({@code /v1/completions} has OpenAI's own default of 16.)
         */
        public Builder assumedMaxTokens(int tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("A maximum is 0 tokens or more, not " + tokens);
            }
            this.assumedMaxTokens = tokens;
            return this;
        }

        /** The pause between two events of a stream, so a streamed body takes measurable time; 2 ms unless set. */
        public Builder streamGap(Duration gap) {
            this.streamGap = gap;
            return this;
        }

        /** How long before an answer (before the first event of a stream); none unless set. */
        public Builder responseDelay(Duration delay) {
            this.responseDelay = delay;
            return this;
        }

        /** The {@code Retry-After} of a 429 (whole seconds, rounded up; {@code retry-after-ms} exact); 1 s unless set. */
        public Builder retryAfter(Duration retryAfter) {
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("Retry-After is never in the past: " + retryAfter);
            }
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * {@code Retry-After} the time until the refused request would fit in the window, instead of a fixed
         * {@link #retryAfter(Duration)}, which a request larger than the whole tokens limit still gets.
         */
        public Builder retryAfterUntilRoom(boolean untilRoom) {
            this.retryAfterUntilRoom = untilRoom;
            return this;
        }

        /**
         * Limits as buckets that refill continuously ({@link RefillingBucketLimit}), as OpenAI and Anthropic
         * describe theirs, instead of a sliding log: they start full, and what is left grows back steadily.
         */
        public Builder refillingBuckets(boolean refilling) {
            this.refillingBuckets = refilling;
            return this;
        }

        public OpenAiUpstream start() {
            return new OpenAiUpstream(this);
        }
    }
}
