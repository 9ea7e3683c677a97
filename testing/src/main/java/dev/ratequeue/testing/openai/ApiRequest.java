package dev.ratequeue.testing.openai;

import com.knuddels.jtokkit.api.Encoding;
import java.util.List;

/** A request body as the upstream needs it: what it is for, what it costs, and how to answer it. */
public final class ApiRequest {
    public final Endpoint endpoint;
    public final String model;
    public final Encoding encoding;
    /** Tokens of each prompt ({@code /v1/completions} and {@code /v1/embeddings} take several); one for the rest. */
    public final List<Integer> promptTokens;
    /** The most tokens each completion may have; null when the request sets none. Always null for embeddings. */
    public final Integer maxTokens;
    public final boolean stream;
    /** {@code stream_options.include_usage}. */
    public final boolean includeUsage;
    /** Embeddings only: each input as text (token arrays as their JSON), {@code base64} or not, and the size. */
    public final List<String> inputs;
    public final boolean base64;
    public final int dimensions;
    /** Responses only: the {@code instructions} string, or null. */
    public final String instructions;

    ApiRequest(Endpoint endpoint, String model, Encoding encoding, List<Integer> promptTokens, Integer maxTokens,
            boolean stream, boolean includeUsage, List<String> inputs, boolean base64, int dimensions,
            String instructions) {
        this.endpoint = endpoint;
        this.model = model;
        this.encoding = encoding;
        this.promptTokens = List.copyOf(promptTokens);
        this.maxTokens = maxTokens;
        this.stream = stream;
        this.includeUsage = includeUsage;
        this.inputs = List.copyOf(inputs);
        this.base64 = base64;
        this.dimensions = dimensions;
        this.instructions = instructions;
    }

    public int totalPromptTokens() {
        int sum = 0;
        for (int t : promptTokens) {
            sum += t;
        }
        return sum;
    }

    /** How many completions the answer has: one per prompt, none for embeddings. */
    public int completions() {
        return endpoint == Endpoint.EMBEDDINGS ? 0 : promptTokens.size();
    }
}
