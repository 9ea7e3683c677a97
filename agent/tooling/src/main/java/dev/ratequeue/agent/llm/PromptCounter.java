package dev.ratequeue.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Counts the prompt tokens of a request's JSON the way OpenAI's cookbook does
 * ({@code num_tokens_from_messages}), which matches the {@code prompt_tokens} the API reports for its chat
 * models: 3 tokens for each message, the tokens of each of the message's string values (its role, its
 * content, its name), 1 more for a name, and 3 that prime the reply.
 *
 * <p>What the cookbook leaves out is counted so as to err high rather than low, since a call that costs
 * more than was reserved is what gets a 429:
 *
 * <ul>
 *   <li>content as an array of parts: each text part's text; each image (or audio, or file) part a flat
 *       {@link TokenEstimator#IMAGE_TOKENS} ({@link TokenEstimator#LOW_DETAIL_IMAGE_TOKENS} for an image
 *       with {@code "detail": "low"}). Never the image's URL or base64 data: a 1 MiB image is not 700 000
 *       tokens.
 *   <li>any other value of a message, such as an assistant's {@code tool_calls}: the tokens of every string
 *       inside it (ids, function names, arguments).
 *   <li>tool and function definitions, a JSON schema response format: the tokens of their compact JSON
 *       text. OpenAI renders them to the model more compactly, so this is a little above what it counts.
 * </ul>
 */
final class PromptCounter {
  static final int TOKENS_PER_MESSAGE = 3;
  static final int TOKENS_PER_NAME = 1;
  static final int REPLY_PRIMING = 3;

  private final ToIntFunction<String> tokens;

  PromptCounter(ToIntFunction<String> tokens) {
    this.tokens = tokens;
  }

  /** A chat request's {@code messages}, with the reply priming. */
  long messages(JsonNode messages) {
    long n = 0;
    if (messages != null && messages.isArray()) {
      for (JsonNode m : messages) {
        n += message(m);
      }
    }
    return n + REPLY_PRIMING;
  }

  /** One message, or one item of a Responses API {@code input} (counted alike). */
  long message(JsonNode m) {
    if (m.isTextual()) {
      return TOKENS_PER_MESSAGE + text(m.textValue());
    }
    if (!m.isObject()) {
      return TOKENS_PER_MESSAGE;
    }
    long n = TOKENS_PER_MESSAGE;
    for (Map.Entry<String, JsonNode> field : m.properties()) {
      n += "content".equals(field.getKey()) ? content(field.getValue()) : strings(field.getValue());
      if ("name".equals(field.getKey())) {
        n += TOKENS_PER_NAME;
      }
    }
    return n;
  }

  /** A message as a role and a text: a Responses API {@code instructions}, or its {@code input} as a string. */
  long message(String role, String content) {
    return TOKENS_PER_MESSAGE + text(role) + text(content);
  }

  /** A message's content: a string, or an array of parts. */
  long content(JsonNode content) {
    if (content.isTextual()) {
      return text(content.textValue());
    }
    if (!content.isArray()) {
      return strings(content);
    }
    long n = 0;
    for (JsonNode part : content) {
      n += part(part);
    }
    return n;
  }

  private long part(JsonNode part) {
    if (part.isTextual()) {
      return text(part.textValue());
    }
    JsonNode type = part.get("type");
    String t = type != null && type.isTextual() ? type.textValue() : "";
    switch (t) {
      case "text":
      case "input_text":
      case "output_text":
      case "":
        return strings(part.get("text"));
      case "refusal":
        return strings(part.get("refusal"));
      case "image_url":
      case "input_image":
      case "image":
        return lowDetail(part) ? TokenEstimator.LOW_DETAIL_IMAGE_TOKENS : TokenEstimator.IMAGE_TOKENS;
      default:
        // input_audio, file, input_file: their size cannot be told from the request.
        return TokenEstimator.IMAGE_TOKENS;
    }
  }

  private static boolean lowDetail(JsonNode part) {
    JsonNode detail = part.get("detail");
    JsonNode image = part.get("image_url");
    if (detail == null && image != null && image.isObject()) {
      detail = image.get("detail");
    }
    return detail != null && "low".equals(detail.asText());
  }

  /** The tokens of every string inside {@code node}, at any depth; numbers and keys aside. */
  long strings(JsonNode node) {
    if (node == null) {
      return 0;
    }
    if (node.isTextual()) {
      return text(node.textValue());
    }
    long n = 0;
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        n += strings(child);
      }
    }
    return n;
  }

  /** A definition (tools, functions, a JSON schema), as its compact JSON text. */
  long definition(JsonNode node) {
    return node == null || node.isNull() ? 0 : text(Json.text(node));
  }

  /**
   * The {@code input} of an embeddings request or the {@code prompt} of a completions request, each a
   * string, an array of strings, an array of token ids, or an array of arrays of token ids; ids count one
   * each.
   */
  long inputs(JsonNode input) {
    if (input == null) {
      return 0;
    }
    if (input.isTextual()) {
      return text(input.textValue());
    }
    if (input.isNumber()) {
      return 1;
    }
    long n = 0;
    if (input.isArray()) {
      for (JsonNode item : input) {
        n += inputs(item);
      }
    }
    return n;
  }

  long text(String s) {
    return s == null || s.isEmpty() ? 0 : tokens.applyAsInt(s);
  }
}
