package dev.ratequeue.testing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import java.util.ArrayList;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * Prompt tokens as OpenAI counts them.
 *
 * <p>Messages follow the OpenAI cookbook's {@code num_tokens_from_messages}: 3 tokens per message, the tokens of
 * each of its field values, 1 more for a {@code name}, and 3 for the priming of the reply. A {@code content} array
 * counts the {@code text} of its parts; parts without text (images, audio, files) count nothing here, where OpenAI
 * charges them by size. A value that is neither text nor such an array (tool calls, say) counts as its JSON. A field
 * named {@code type} is not counted: Responses input items carry one that chat messages do not.
 */
public final class PromptCounter {

    static final int PER_MESSAGE = 3;
    static final int PER_NAME = 1;
    static final int REPLY_PRIMING = 3;

    private PromptCounter() {
    }

    public static int messages(Encoding encoding, Iterable<JsonNode> messages) {
        int tokens = REPLY_PRIMING;
        for (JsonNode message : messages) {
            tokens += PER_MESSAGE;
            for (Map.Entry<String, JsonNode> field : message.properties()) {
                if (field.getKey().equals("type")) {
                    continue;
                }
                tokens += value(encoding, field.getValue());
                if (field.getKey().equals("name")) {
                    tokens += PER_NAME;
                }
            }
        }
        return tokens;
    }

    private static int value(Encoding encoding, JsonNode value) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isTextual()) {
            return Tokenizer.count(encoding, value.textValue());
        }
        if (value.isArray() && isContentParts(value)) {
            int tokens = 0;
            for (JsonNode part : value) {
                JsonNode text = part.get("text");
                if (text != null && text.isTextual()) {
                    tokens += Tokenizer.count(encoding, text.textValue());
                }
            }
            return tokens;
        }
        return Tokenizer.count(encoding, value.toString());
    }

    private static boolean isContentParts(JsonNode array) {
        for (JsonNode part : array) {
            if (!part.isObject() || !part.has("type")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The tokens of each prompt in a {@code prompt} ({@code /v1/completions}) or {@code input} ({@code /v1/embeddings}):
     * a string, an array of strings, an array of token ids, or an array of arrays of token ids.
     */
    public static List<Integer> prompts(Encoding encoding, JsonNode prompt, String param)
            throws InvalidRequestException {
        List<Integer> counts = new ArrayList<>();
        if (prompt.isTextual()) {
            counts.add(Tokenizer.count(encoding, prompt.textValue()));
            return counts;
        }
        if (!prompt.isArray() || prompt.isEmpty()) {
            throw new InvalidRequestException("Invalid '" + param + "': expected a string, an array of strings, an"
                    + " array of token ids or an array of arrays of token ids, not " + describe(prompt), param);
        }
        if (allTokenIds(prompt)) {
            counts.add(prompt.size());
            return counts;
        }
        for (int i = 0; i < prompt.size(); i++) {
            JsonNode one = prompt.get(i);
            if (one.isTextual()) {
                counts.add(Tokenizer.count(encoding, one.textValue()));
            } else if (one.isArray() && allTokenIds(one)) {
                counts.add(one.size());
            } else {
                throw new InvalidRequestException("Invalid '" + param + "[" + i + "]': expected a string or an array"
                        + " of token ids, not " + describe(one), param);
            }
        }
        return counts;
    }

    private static boolean allTokenIds(JsonNode array) {
        for (JsonNode id : array) {
            if (!id.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String json = node.toString();
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + (json.length() > 40 ? json.substring(0, 40) + "…"
                : json);
    }
}
