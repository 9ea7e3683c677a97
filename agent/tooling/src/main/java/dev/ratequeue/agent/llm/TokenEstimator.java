package dev.ratequeue.agent.llm;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Estimates what an OpenAI-compatible request will cost against a tokens-per-minute limit, before it is
 * sent, the way OpenAI's own limiter reckons it (and its cookbook's {@code api_request_parallel_processor}):
 * the prompt's tokens plus the most output tokens the request allows, times its choices {@code n}. For
 * embeddings, the input's tokens alone.
 *
 * <p>Endpoints, by how the path ends: {@code /chat/completions} ({@code messages}, {@code tools}),
 * {@code /completions} ({@code prompt}), {@code /embeddings} ({@code input}), {@code /responses}
 * ({@code instructions}, {@code input}, {@code tools}). Prompt tokens are counted as {@link PromptCounter}
 * says.
 *
 * <p><b>The tokenizer.</b> OpenAI's models are counted with their own byte-pair encoding (jtokkit):
 * {@code o200k_base} for gpt-4o, gpt-4.1, gpt-5, o1, o3, o4; {@code cl100k_base} for gpt-4, gpt-3.5-turbo
 * and the text-embedding models. That is exact, not an estimate, for what the request shows.
 *
 * <p><b>The fallback</b>, for every other model (Claude, Llama, Mistral, Gemini, or a name not known):
 * {@code cl100k_base}, times {@link #DEFAULT_FALLBACK_FACTOR} 1.25, rounded up. Not characters / 4: that
 * rule holds for English prose only. On the corpus of {@code EstimateAccuracy} it is 47 % to 60 % below
 * o200k_base's count for Chinese, Japanese, Korean and emoji (where every tokenizer spends about a token a
 * character or more), and 29 % to 47 % below for JSON, numbers and logs; a count below the real one is what
 * gets a 429. A real BPE count follows the text's kind; the tokenizers it stands in for differ from it by
 * a factor rather than by kind. Those that count more than cl100k (Claude's, the 32 000-token vocabularies
 * of Llama 2 and early Mistral models) do so by up to roughly a quarter on English text, which the factor
 * covers; those that count fewer (Llama 3's, which is cl100k with 28 000 tokens added; Gemini's) are
 * reserved a little too much, which the usage read after the call gives back.
 *
 * <p><b>Output.</b> The request's {@code max_completion_tokens}, {@code max_output_tokens} or
 * {@code max_tokens} (the first of them that is a count), else for {@code /completions} the API's own
 * default, 16, else {@link #DEFAULT_MAX_OUTPUT_TOKENS} 1024. A request without a maximum may be answered
 * with the model's whole output limit (16 384 tokens for gpt-4o, 100 000 for o3), and reserving that for
 * every such call would let a 30 000-tokens-a-minute key make one or two calls a minute; 1024 is above
 * most chat replies (a page of prose is about 700 tokens), and what a reply costs beyond the reservation is
 * known once its usage is read ({@link UsageParser}). Reasoning models spend hidden reasoning tokens from
 * the same maximum; applications that use them should set one, as OpenAI's rate-limit guide advises for
 * every call (a maximum close to the reply's expected size).
 *
 * <p><b>Not seen.</b> A Responses API call that continues an earlier one ({@code previous_response_id},
 * {@code conversation}) or uses a stored {@code prompt} is also charged for what the server adds; the
 * estimate counts the body only.
 *
 * <p><b>Cost.</b> Bodies up to {@link #MAX_BODY_BYTES} (1 MiB) are read; larger ones get no estimate.
 * Counting took here about 20 ms a MiB of English with cl100k_base and 100 to 250 ms with o200k_base (up
 * to 1.5 s for a MiB of one repeated letter); a 10 KiB prompt is a millisecond or two. See
 * {@link Tokenizers} for the one-time cost of loading each encoding.
 *
 * <p>Thread-safe; never throws: what it cannot read ends in {@link TokenEstimate#ignored()}.
 */
public final class TokenEstimator {
  /** Output reserved for a request that sets no maximum; why 1024: see above. */
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 1024;
  /** cl100k_base's count is multiplied by this for models whose tokenizer is not here; why: see above. */
  public static final double DEFAULT_FALLBACK_FACTOR = 1.25;
  /**
   * An image part, also an audio or file part: what OpenAI charges gpt-4o for a square image in high detail
   * (any from 768 pixels up is scaled to 768 x 768: 85 + 4 tiles of 170); a 16:9 photo costs 1105. The
   * request does not tell an image's size; the usage read afterwards does.
   */
  public static final int IMAGE_TOKENS = 765;
  /** An image part with {@code "detail": "low"}: a flat 85, whatever its size. */
  public static final int LOW_DETAIL_IMAGE_TOKENS = 85;
  /** The largest body read. */
  public static final int MAX_BODY_BYTES = 1 << 20;
  /** What {@code /completions} generates without a {@code max_tokens}, by the API's definition. */
  static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

  private static final String[] MAX_OUTPUT_FIELDS = {"max_completion_tokens", "max_output_tokens", "max_tokens"};
  private static final String FALLBACK_ENCODING = "cl100k_base";
  private static final int MAX_SHOWN = 40;

  private final int defaultMaxOutputTokens;
  private final double fallbackFactor;

  /** With {@link #DEFAULT_MAX_OUTPUT_TOKENS} and {@link #DEFAULT_FALLBACK_FACTOR}. */
  public TokenEstimator() {
    this(DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_FALLBACK_FACTOR);
  }

  /**
   * @param defaultMaxOutputTokens the output reserved for a request that sets no maximum, 0 or more
   * @param fallbackFactor what cl100k_base's count is multiplied by for models without their tokenizer here,
   *     1 or more
   */
  public TokenEstimator(int defaultMaxOutputTokens, double fallbackFactor) {
    if (defaultMaxOutputTokens < 0) {
      throw new IllegalArgumentException("defaultMaxOutputTokens must be 0 or more: " + defaultMaxOutputTokens);
    }
    if (!(fallbackFactor >= 1 && fallbackFactor <= 10)) {
      throw new IllegalArgumentException("fallbackFactor must be between 1 and 10: " + fallbackFactor);
    }
    this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    this.fallbackFactor = fallbackFactor;
  }

  /**
   * The tokens {@code text} is for {@code model}, with the model's own encoding (special tokens such as
   * {@code <|endoftext|>} counted as the text they are); empty for a model whose tokenizer is not here.
   */
  public static OptionalInt exactTokens(String model, String text) {
    String encoding = Tokenizers.encodingName(model);
    if (encoding == null || text == null) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Tokenizers.count(Tokenizers.encoding(encoding), text));
  }

  /**
   * The estimate for a request to {@code path} (a query is allowed) with {@code body}, its UTF-8 bytes,
   * which may be {@code null}.
   */
  /**
   * Whether {@code path} is one of the endpoints estimated here: the cheap test made before a request's body
   * is read, so that other requests' bodies never are.
   */
  public static boolean appliesTo(String path) {
    return Endpoint.of(path) != null;
  }

  public TokenEstimate estimate(String path, byte[] body) {
    List<Ignored> ignored = new ArrayList<>();
    try {
      return estimate(path, body, ignored);
    } catch (RuntimeException | StackOverflowError e) {
      ignored.add(new Ignored("request body", size(body), "could not be estimated: " + e));
      return TokenEstimate.none("the estimator failed", ignored);
    }
  }

  private TokenEstimate estimate(String path, byte[] body, List<Ignored> ignored) {
    Endpoint endpoint = Endpoint.of(path);
    if (endpoint == null) {
      return TokenEstimate.none("not an endpoint whose cost is estimated: " + path, ignored);
    }
    if (body == null || body.length == 0) {
      return TokenEstimate.none("no body", ignored);
    }
    if (body.length > MAX_BODY_BYTES) {
      ignored.add(new Ignored("request body", size(body), "larger than the " + MAX_BODY_BYTES
          + " bytes the estimator reads; such requests count as one call of the default load"));
      return TokenEstimate.none("body too large", ignored);
    }
    JsonNode request;
    try {
      request = Json.parse(body, 0, body.length);
    } catch (IOException e) {
      ignored.add(new Ignored("request body", size(body), "not JSON (" + shortReason(e) + ")"));
      return TokenEstimate.none("body not JSON", ignored);
    }
    if (!request.isObject()) {
      ignored.add(new Ignored("request body", size(body), "expected a JSON object, got " + request.getNodeType()));
      return TokenEstimate.none("body not a JSON object", ignored);
    }

    String model = model(request, path, ignored);
    String encodingName = Tokenizers.encodingName(model);
    boolean fallback = encodingName == null;
    Encoding encoding = Tokenizers.encoding(fallback ? FALLBACK_ENCODING : encodingName);
    PromptCounter counter = new PromptCounter(text -> Tokenizers.count(encoding, text));

    long prompt = prompt(endpoint, request, counter);
    if (fallback) {
      prompt = (long) Math.ceil(prompt * fallbackFactor);
    }
    long output = 0;
    boolean defaulted = false;
    if (endpoint != Endpoint.EMBEDDINGS) {
      long max = maxOutput(request, ignored);
      if (max < 0) {
        defaulted = true;
        max = endpoint == Endpoint.COMPLETIONS ? COMPLETIONS_DEFAULT_MAX_TOKENS : defaultMaxOutputTokens;
      }
      output = max * choices(endpoint, request, ignored);
    }
    return new TokenEstimate(fallback ? TokenEstimate.Method.FALLBACK : TokenEstimate.Method.MODEL_ENCODING,
        fallback ? FALLBACK_ENCODING + " x " + fallbackFactor : encodingName, model, prompt, output, defaulted,
        null, ignored);
  }

  private static long prompt(Endpoint endpoint, JsonNode request, PromptCounter counter) {
    switch (endpoint) {
      case CHAT_COMPLETIONS: {
        long n = counter.messages(request.get("messages"));
        n += counter.definition(request.get("tools")) + counter.definition(request.get("functions"));
        return n + counter.definition(jsonSchema(request.get("response_format")));
      }
      case RESPONSES: {
        long n = 0;
        JsonNode instructions = request.get("instructions");
        if (instructions != null && instructions.isTextual()) {
          n += counter.message("system", instructions.textValue());
        }
        JsonNode input = request.get("input");
        if (input != null && input.isTextual()) {
          n += counter.message("user", input.textValue());
        } else if (input != null && input.isArray()) {
          for (JsonNode item : input) {
            n += counter.message(item);
          }
        }
        n += counter.definition(request.get("tools"));
        JsonNode text = request.get("text");
        n += counter.definition(jsonSchema(text == null ? null : text.get("format")));
        return n + PromptCounter.REPLY_PRIMING;
      }
      case COMPLETIONS: {
        JsonNode prompt = request.get("prompt");
        // Without a prompt the API completes "<|endoftext|>", one token.
        long n = prompt == null || prompt.isNull() ? 1 : counter.inputs(prompt);
        return n + counter.inputs(request.get("suffix"));
      }
      case EMBEDDINGS:
      default:
        return counter.inputs(request.get("input"));
    }
  }

  /** A response format that is a JSON schema, which the model is shown; {@code null} for text or json_object. */
  private static JsonNode jsonSchema(JsonNode format) {
    if (format == null || !format.isObject()) {
      return null;
    }
    JsonNode type = format.get("type");
    return type != null && "json_schema".equals(type.asText()) ? format : null;
  }

  private static String model(JsonNode request, String path, List<Ignored> ignored) {
    JsonNode model = request.get("model");
    if (model != null && model.isTextual() && !model.textValue().trim().isEmpty()) {
      return model.textValue().trim();
    }
    if (model != null && !model.isNull() && !model.isTextual()) {
      ignored.add(new Ignored("model", shown(model), "expected the model's name as a string"));
    }
    return Endpoint.azureDeployment(path);
  }

  /** The first maximum that is a count; -1 when the request sets none. */
  private static long maxOutput(JsonNode request, List<Ignored> ignored) {
    for (String field : MAX_OUTPUT_FIELDS) {
      JsonNode value = request.get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      long n = Json.count(value);
      if (n >= 0) {
        return n;
      }
      ignored.add(new Ignored(field, shown(value), "expected a whole number of tokens, 0 or more"));
    }
    return -1;
  }

  /** How many replies the output maximum applies to: n (or best_of), times the prompts of a completions call. */
  private static long choices(Endpoint endpoint, JsonNode request, List<Ignored> ignored) {
    if (endpoint == Endpoint.RESPONSES) {
      return 1;
    }
    long n = positive(request, "n", ignored);
    if (endpoint == Endpoint.COMPLETIONS) {
      // best_of completions are generated, and charged, to return the n best.
      n = Math.max(n, positive(request, "best_of", ignored));
      JsonNode prompt = request.get("prompt");
      if (prompt != null && prompt.isArray() && prompt.size() > 0 && !prompt.get(0).isNumber()) {
        n *= prompt.size();
      }
    }
    return n;
  }

  private static long positive(JsonNode request, String field, List<Ignored> ignored) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      return 1;
    }
    long n = Json.count(value);
    if (n >= 1 && n <= 128) {
      return n;
    }
    ignored.add(new Ignored(field, shown(value), "expected a whole number from 1 to 128"));
    return 1;
  }

  private static String size(byte[] body) {
    return body == null ? "no body" : body.length + " bytes";
  }

  /** A field's value as JSON, cut short: enough to recognise it, never a prompt's worth. */
  private static String shown(JsonNode value) {
    String s = Json.text(value);
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
  }

  /**
   * Where the body stops being JSON, not what is there: Jackson's messages quote the text they met, which may
   * be a user's prompt.
   */
  private static String shortReason(IOException e) {
    if (e instanceof JsonEOFException) {
      return "it ends early";
    }
    if (e instanceof JsonProcessingException) {
      JsonLocation at = ((JsonProcessingException) e).getLocation();
      if (at != null && at.getByteOffset() >= 0) {
        return "unexpected content at byte " + at.getByteOffset();
      }
    }
    return "unexpected content";
  }
}
