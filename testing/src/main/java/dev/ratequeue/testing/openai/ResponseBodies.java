package dev.ratequeue.testing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Response bodies in OpenAI's shapes, with every field the OpenAI Java SDK requires when it validates a response,
 * and the nullable ones OpenAI sends as {@code null}. Content is {@link FillerText}; embeddings are unit vectors
 * derived from the input, the same input giving the same vector.
 */
public final class ResponseBodies {

    private static final String FINGERPRINT = "fp_ratequeue";

    private ResponseBodies() {
    }

    public static byte[] bytes(JsonNode body) {
        return Json.bytes(body);
    }

    /** {@code {"error":{"message","type","param","code"}}}, as every OpenAI error is. */
    public static ObjectNode error(String message, String type, String param, String code) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }

    /** {@code usage} of chat completions and completions. */
    public static ObjectNode usage(int promptTokens, int completionTokens) {
        ObjectNode usage = Json.MAPPER.createObjectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        ObjectNode prompt = usage.putObject("prompt_tokens_details");
        prompt.put("cached_tokens", 0);
        prompt.put("audio_tokens", 0);
        ObjectNode completion = usage.putObject("completion_tokens_details");
        completion.put("reasoning_tokens", 0);
        completion.put("audio_tokens", 0);
        completion.put("accepted_prediction_tokens", 0);
        completion.put("rejected_prediction_tokens", 0);
        return usage;
    }

    public static ObjectNode chatCompletion(String id, long created, String model, String content,
            String finishReason, int promptTokens, int completionTokens) {
        ObjectNode root = head(id, "chat.completion", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        root.set("usage", usage(promptTokens, completionTokens));
        return root;
    }

    /**
     * A {@code chat.completion.chunk} whose one choice carries {@code content} (the first chunk also the role, the
     * last one null content and the finish reason). With {@code usageNull}, {@code "usage":null}, as OpenAI sends
     * on every chunk but the last when asked to include usage.
     */
    public static ObjectNode chatChunk(String id, long created, String model, boolean first, String content,
            String finishReason, boolean usageNull) {
        ObjectNode root = head(id, "chat.completion.chunk", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (first) {
            delta.put("role", "assistant");
            delta.putNull("refusal");
        }
        if (content != null) {
            delta.put("content", content);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (usageNull) {
            root.putNull("usage");
        }
        return root;
    }

    /** The last chunk of a stream asked to include usage: no choices, the usage of the whole completion. */
    public static ObjectNode usageChunk(String id, String object, long created, String model, int promptTokens,
            int completionTokens) {
        ObjectNode root = head(id, object, created, model);
        root.putArray("choices");
        root.set("usage", usage(promptTokens, completionTokens));
        return root;
    }

    /** A {@code text_completion}: one choice per prompt, in order. */
    public static ObjectNode completion(String id, long created, String model, List<String> texts,
            List<String> finishReasons, int promptTokens, int completionTokens) {
        ObjectNode root = head(id, "text_completion", created, model);
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < texts.size(); i++) {
            choices.add(completionChoice(i, texts.get(i), finishReasons.get(i)));
        }
        root.set("usage", usage(promptTokens, completionTokens));
        return root;
    }

    /** A streamed piece of a {@code text_completion}: what OpenAI streams has the object's own shape. */
    public static ObjectNode completionChunk(String id, long created, String model, int index, String text,
            String finishReason, boolean usageNull) {
        ObjectNode root = head(id, "text_completion", created, model);
        root.putArray("choices").add(completionChoice(index, text, finishReason));
        if (usageNull) {
            root.putNull("usage");
        }
        return root;
    }

    private static ObjectNode completionChoice(int index, String text, String finishReason) {
        ObjectNode choice = Json.MAPPER.createObjectNode();
        choice.put("text", text);
        choice.put("index", index);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return choice;
    }

    /**
     * A {@code list} of one {@code embedding} per input, as floats or, with {@code base64}, as the base64 of their
     * little-endian IEEE 754 single-precision bytes, which is what the SDK asks for unless told otherwise.
     */
    public static ObjectNode embeddings(String model, List<String> inputs, int dimensions, boolean base64,
            int promptTokens) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vector(inputs.get(i), dimensions);
            ObjectNode embedding = data.addObject();
            embedding.put("object", "embedding");
            embedding.put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) {
                    bytes.putFloat(v);
                }
                embedding.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = embedding.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
        }
        root.put("model", model);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("total_tokens", promptTokens);
        return root;
    }

    /** A unit vector that depends only on {@code input} and its size. */
    static float[] vector(String input, int dimensions) {
        long seed = 1125899906842597L;
        for (byte b : input.getBytes(StandardCharsets.UTF_8)) {
            seed = 31 * seed + b;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            v[i] *= scale;
        }
        return v;
    }

    /**
     * A {@code response} with one assistant {@code message} of one {@code output_text}; {@code incomplete}, with
     * {@code incomplete_details.reason = max_output_tokens}, when {@code max_output_tokens} cut it short.
     */
    public static ObjectNode response(String id, String messageId, long created, String model, String instructions,
            Integer maxOutputTokens, String text, boolean incomplete, int inputTokens, int outputTokens) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("object", "response");
        root.put("created_at", created);
        root.put("status", incomplete ? "incomplete" : "completed");
        root.put("background", false);
        root.putNull("error");
        if (incomplete) {
            root.putObject("incomplete_details").put("reason", "max_output_tokens");
        } else {
            root.putNull("incomplete_details");
        }
        root.put("instructions", instructions);
        if (maxOutputTokens == null) {
            root.putNull("max_output_tokens");
        } else {
            root.put("max_output_tokens", maxOutputTokens);
        }
        root.put("model", model);
        ObjectNode message = root.putArray("output").addObject();
        message.put("id", messageId);
        message.put("type", "message");
        message.put("status", incomplete ? "incomplete" : "completed");
        message.put("role", "assistant");
        ObjectNode part = message.putArray("content").addObject();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        root.put("parallel_tool_calls", true);
        root.putNull("previous_response_id");
        root.put("service_tier", "default");
        root.put("store", false);
        root.put("temperature", 1.0);
        root.putObject("text").putObject("format").put("type", "text");
        root.put("tool_choice", "auto");
        root.putArray("tools");
        root.put("top_p", 1.0);
        root.put("truncation", "disabled");
        ObjectNode usage = root.putObject("usage");
        usage.put("input_tokens", inputTokens);
        ObjectNode inputDetails = usage.putObject("input_tokens_details");
        inputDetails.put("cached_tokens", 0);
        inputDetails.put("cache_write_tokens", 0);
        usage.put("output_tokens", outputTokens);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", inputTokens + outputTokens);
        root.putNull("user");
        root.putObject("metadata");
        return root;
    }

    private static ObjectNode head(String id, String object, long created, String model) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.put("service_tier", "default");
        root.put("system_fingerprint", FINGERPRINT);
        return root;
    }
}
