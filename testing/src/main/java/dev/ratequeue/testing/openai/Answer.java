package dev.ratequeue.testing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the upstream answers to one admitted request: a completion of the length it was told for each prompt, cut
 * at the request's own maximum as a model would be, and the body or event stream that carries it.
 */
public final class Answer {

    private final ApiRequest request;
    private final List<FillerText.Completion> completions = new ArrayList<>();
    private final List<String> finishReasons = new ArrayList<>();
    private final long seq;

    /**
     * {@code length} tokens for each completion unless the request allows fewer; {@code seq} makes the ids of this
     * answer unique in the upstream.
     */
    public Answer(ApiRequest request, int length, long seq) {
        this.request = request;
        this.seq = seq;
        boolean cut = request.maxTokens != null && length >= request.maxTokens;
        for (int i = 0; i < request.completions(); i++) {
            completions.add(FillerText.generate(request.encoding, cut ? request.maxTokens : length));
            finishReasons.add(cut ? "length" : "stop");
        }
    }

    public int completionTokens() {
        int sum = 0;
        for (FillerText.Completion c : completions) {
            sum += c.tokens;
        }
        return sum;
    }

    public JsonNode body(long created) {
        int prompt = request.totalPromptTokens();
        switch (request.endpoint) {
            case CHAT_COMPLETIONS:
                return ResponseBodies.chatCompletion(id(), created, request.model, completions.get(0).text,
                        finishReasons.get(0), prompt, completionTokens());
            case COMPLETIONS:
                List<String> texts = new ArrayList<>();
                for (FillerText.Completion c : completions) {
                    texts.add(c.text);
                }
                return ResponseBodies.completion(id(), created, request.model, texts, finishReasons, prompt,
                        completionTokens());
            case EMBEDDINGS:
                return ResponseBodies.embeddings(request.model, request.inputs, request.dimensions, request.base64,
                        prompt);
            case RESPONSES:
                return ResponseBodies.response(id(), "msg_rq" + seq, created, request.model, request.instructions,
                        request.maxTokens, completions.get(0).text, finishReasons.get(0).equals("length"), prompt,
                        completionTokens());
            default:
                throw new IllegalStateException(request.endpoint.name());
        }
    }

    /** One event per token, then the finish, the usage when asked for, and {@code [DONE]}. */
    public void stream(EventStream events, long created) throws IOException {
        int prompt = request.totalPromptTokens();
        boolean usage = request.includeUsage;
        if (request.endpoint == Endpoint.CHAT_COMPLETIONS) {
            events.send(ResponseBodies.chatChunk(id(), created, request.model, true, "", null, usage));
            for (String piece : completions.get(0).pieces) {
                events.send(ResponseBodies.chatChunk(id(), created, request.model, false, piece, null, usage));
            }
            events.send(ResponseBodies.chatChunk(id(), created, request.model, false, null, finishReasons.get(0),
                    usage));
            if (usage) {
                events.send(ResponseBodies.usageChunk(id(), "chat.completion.chunk", created, request.model, prompt,
                        completionTokens()));
            }
        } else if (request.endpoint == Endpoint.COMPLETIONS) {
            for (int i = 0; i < completions.size(); i++) {
                for (String piece : completions.get(i).pieces) {
                    events.send(ResponseBodies.completionChunk(id(), created, request.model, i, piece, null, usage));
                }
                events.send(ResponseBodies.completionChunk(id(), created, request.model, i, "",
                        finishReasons.get(i), usage));
            }
            if (usage) {
                events.send(ResponseBodies.usageChunk(id(), "text_completion", created, request.model, prompt,
                        completionTokens()));
            }
        } else {
            throw new IllegalStateException("No stream for " + request.endpoint.path);
        }
        events.done();
    }

    private String id() {
        switch (request.endpoint) {
            case CHAT_COMPLETIONS:
                return "chatcmpl-rq" + seq;
            case COMPLETIONS:
                return "cmpl-rq" + seq;
            case RESPONSES:
                return "resp_rq" + seq;
            default:
                return "rq" + seq;
        }
    }
}
