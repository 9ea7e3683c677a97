package dev.ratequeue.testing.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request body as OpenAI documents it for each {@link Endpoint}, and refuses, naming the field, what OpenAI
 * would refuse with a 400 and what this upstream cannot answer.
 *
 * <p>Defaults and bounds are OpenAI's: {@code /v1/completions} writes at most 16 tokens unless told otherwise;
 * {@code max_output_tokens} is at least 16; {@code max_completion_tokens} wins over {@code max_tokens}. Fields the
 * upstream does not use ({@code n}, {@code temperature}, {@code tools}...) are accepted and ignored.
 */
public final class RequestParser {

    private static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;
    private static final int RESPONSES_MIN_OUTPUT_TOKENS = 16;

    private RequestParser() {
    }

    public static ApiRequest parse(Endpoint endpoint, byte[] body) throws InvalidRequestException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("We could not parse the JSON body of your request: "
                    + e.getOriginalMessage(), null);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object, not "
                    + PromptCounter.describe(root), null);
        }
        JsonNode model = root.get("model");
        if (model == null || model.isNull()) {
            throw new InvalidRequestException("You must provide a model parameter.", "model");
        }
        if (!model.isTextual() || model.textValue().isEmpty()) {
            throw new InvalidRequestException("Invalid 'model': expected a model name, not "
                    + PromptCounter.describe(model), "model");
        }
        Encoding encoding = Tokenizer.forModel(model.textValue());
        switch (endpoint) {
            case CHAT_COMPLETIONS:
                return chat(root, model.textValue(), encoding);
            case COMPLETIONS:
                return completions(root, model.textValue(), encoding);
            case EMBEDDINGS:
                return embeddings(root, model.textValue(), encoding);
            case RESPONSES:
                return responses(root, model.textValue(), encoding);
            default:
                throw new IllegalArgumentException(endpoint.name());
        }
    }

    private static ApiRequest chat(JsonNode root, String model, Encoding encoding) throws InvalidRequestException {
        JsonNode messages = required(root, "messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequestException("Invalid 'messages': expected a non-empty array of messages, not "
                    + PromptCounter.describe(messages), "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw new InvalidRequestException("Invalid 'messages[" + i + "]': expected an object with a 'role',"
                        + " not " + PromptCounter.describe(m), "messages");
            }
        }
        Integer max = optionalInt(root, "max_completion_tokens", 1);
        if (max == null) {
            max = optionalInt(root, "max_tokens", 1);
        }
        boolean stream = optionalBoolean(root, "stream");
        return new ApiRequest(Endpoint.CHAT_COMPLETIONS, model, encoding,
                List.of(PromptCounter.messages(encoding, messages)), max, stream, includeUsage(root, stream),
                List.of(), false, 0, null);
    }

    private static ApiRequest completions(JsonNode root, String model, Encoding encoding)
            throws InvalidRequestException {
        List<Integer> prompts = PromptCounter.prompts(encoding, required(root, "prompt"), "prompt");
        Integer max = optionalInt(root, "max_tokens", 0);
        boolean stream = optionalBoolean(root, "stream");
        return new ApiRequest(Endpoint.COMPLETIONS, model, encoding, prompts,
                max == null ? COMPLETIONS_DEFAULT_MAX_TOKENS : max, stream, includeUsage(root, stream), List.of(),
                false, 0, null);
    }

    private static ApiRequest embeddings(JsonNode root, String model, Encoding encoding)
            throws InvalidRequestException {
        refuseStream(root, Endpoint.EMBEDDINGS);
        JsonNode input = required(root, "input");
        if (input.isTextual() && input.textValue().isEmpty()) {
            throw new InvalidRequestException("Invalid 'input': an empty string has nothing to embed", "input");
        }
        List<Integer> prompts = PromptCounter.prompts(encoding, input, "input");
        List<String> inputs = new ArrayList<>();
        // One input is a string or an array of token ids; anything else is an array of inputs.
        if (input.isTextual() || input.get(0).isIntegralNumber()) {
            inputs.add(input.isTextual() ? input.textValue() : input.toString());
        } else {
            for (JsonNode one : input) {
                inputs.add(one.isTextual() ? one.textValue() : one.toString());
            }
        }
        String format = "float";
        JsonNode f = root.get("encoding_format");
        if (f != null && !f.isNull()) {
            if (!f.isTextual() || !(f.textValue().equals("float") || f.textValue().equals("base64"))) {
                throw new InvalidRequestException("Invalid 'encoding_format': expected 'float' or 'base64', not "
                        + PromptCounter.describe(f), "encoding_format");
            }
            format = f.textValue();
        }
        Integer dimensions = optionalInt(root, "dimensions", 1);
        if (dimensions == null) {
            dimensions = model.contains("3-large") ? 3072 : 1536;
        }
        return new ApiRequest(Endpoint.EMBEDDINGS, model, encoding, prompts, null, false, false, inputs,
                format.equals("base64"), dimensions, null);
    }

    private static ApiRequest responses(JsonNode root, String model, Encoding encoding)
            throws InvalidRequestException {
        refuseStream(root, Endpoint.RESPONSES);
        JsonNode input = required(root, "input");
        List<JsonNode> messages = new ArrayList<>();
        String instructions = null;
        JsonNode i = root.get("instructions");
        if (i != null && !i.isNull()) {
            if (!i.isTextual()) {
                throw new InvalidRequestException("Invalid 'instructions': expected a string, not "
                        + PromptCounter.describe(i), "instructions");
            }
            instructions = i.textValue();
            messages.add(message("system", instructions));
        }
        if (input.isTextual()) {
            messages.add(message("user", input.textValue()));
        } else if (input.isArray() && !input.isEmpty()) {
            for (int n = 0; n < input.size(); n++) {
                if (!input.get(n).isObject()) {
                    throw new InvalidRequestException("Invalid 'input[" + n + "]': expected an input item object,"
                            + " not " + PromptCounter.describe(input.get(n)), "input");
                }
                messages.add(input.get(n));
            }
        } else {
            throw new InvalidRequestException("Invalid 'input': expected a string or a non-empty array of input"
                    + " items, not " + PromptCounter.describe(input), "input");
        }
        Integer max = optionalInt(root, "max_output_tokens", RESPONSES_MIN_OUTPUT_TOKENS);
        return new ApiRequest(Endpoint.RESPONSES, model, encoding,
                List.of(PromptCounter.messages(encoding, messages)), max, false, false, List.of(), false, 0,
                instructions);
    }

    private static JsonNode message(String role, String content) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    private static JsonNode required(JsonNode root, String field) throws InvalidRequestException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRequestException("Missing required parameter: '" + field + "'.", field);
        }
        return value;
    }

    private static Integer optionalInt(JsonNode root, String field, int min) throws InvalidRequestException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidRequestException("Invalid '" + field + "': expected an integer, not "
                    + PromptCounter.describe(value), field);
        }
        if (value.intValue() < min) {
            throw new InvalidRequestException("Invalid '" + field + "': integer below minimum value. Expected a"
                    + " value >= " + min + ", but got " + value.intValue() + " instead.", field);
        }
        return value.intValue();
    }

    private static boolean optionalBoolean(JsonNode root, String field) throws InvalidRequestException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidRequestException("Invalid '" + field + "': expected a boolean, not "
                    + PromptCounter.describe(value), field);
        }
        return value.booleanValue();
    }

    private static boolean includeUsage(JsonNode root, boolean stream) throws InvalidRequestException {
        JsonNode options = root.get("stream_options");
        if (options == null || options.isNull()) {
            return false;
        }
        if (!stream) {
            throw new InvalidRequestException("The 'stream_options' parameter is only allowed when 'stream' is"
                    + " enabled.", "stream_options");
        }
        if (!options.isObject()) {
            throw new InvalidRequestException("Invalid 'stream_options': expected an object, not "
                    + PromptCounter.describe(options), "stream_options");
        }
        return optionalBoolean(options, "include_usage");
    }

    private static void refuseStream(JsonNode root, Endpoint endpoint) throws InvalidRequestException {
        if (optionalBoolean(root, "stream")) {
            throw new InvalidRequestException("This test upstream does not stream " + endpoint.path
                    + "; only /v1/chat/completions and /v1/completions", "stream");
        }
    }
}
