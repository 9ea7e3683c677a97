package dev.ratequeue.agent.llm;

import java.util.Collections;
import java.util.List;

/**
 * What a request will cost against a tokens-per-minute limit, as {@link TokenEstimator} reckons it before
 * the call: its prompt tokens plus the most output tokens it allows. Or, when the request is none whose
 * cost can be told ({@link #known()} false), nothing, with the reason.
 */
public final class TokenEstimate {
  /** How the prompt's tokens were counted. */
  public enum Method {
    /** With the model's own byte-pair encoding ({@link #encoding()}): exact, as OpenAI's cookbook counts. */
    MODEL_ENCODING,
    /**
     * With cl100k_base times a safety factor, for a model whose tokenizer this agent does not have (Claude,
     * Llama, Mistral, Gemini, or a name it does not know): see {@link TokenEstimator}.
     */
    FALLBACK,
    /** Not counted: no body, not JSON, an endpoint that is not estimated. */
    NONE
  }

  private final Method method;
  private final String encoding;
  private final String model;
  private final long promptTokens;
  private final long maxOutputTokens;
  private final boolean outputDefaulted;
  private final String reason;
  private final List<Ignored> ignored;

  TokenEstimate(Method method, String encoding, String model, long promptTokens, long maxOutputTokens,
      boolean outputDefaulted, String reason, List<Ignored> ignored) {
    this.method = method;
    this.encoding = encoding;
    this.model = model;
    this.promptTokens = promptTokens;
    this.maxOutputTokens = maxOutputTokens;
    this.outputDefaulted = outputDefaulted;
    this.reason = reason;
    this.ignored = Collections.unmodifiableList(ignored);
  }

  static TokenEstimate none(String reason, List<Ignored> ignored) {
    return new TokenEstimate(Method.NONE, null, null, 0, 0, false, reason, ignored);
  }

  /** Whether there is an estimate at all. */
  public boolean known() {
    return method != Method.NONE;
  }

  /** Prompt plus maximum output: the load to ask the limiter for; 0 when not {@link #known()}. */
  public long totalTokens() {
    return promptTokens + maxOutputTokens;
  }

  public long promptTokens() {
    return promptTokens;
  }

  /** The output the request allows (times its choices {@code n}); 0 for embeddings. */
  public long maxOutputTokens() {
    return maxOutputTokens;
  }

  /** True when the request set no maximum and the estimator's default stood in for it. */
  public boolean outputDefaulted() {
    return outputDefaulted;
  }

  public Method method() {
    return method;
  }

  /**
   * The encoding counted with: {@code o200k_base} or {@code cl100k_base}; for {@link Method#FALLBACK} the
   * factor too ({@code cl100k_base x 1.25}). {@code null} when not known.
   */
  public String encoding() {
    return encoding;
  }

  /** The model the body (or for Azure, the deployment in the path) named; {@code null} when none. */
  public String model() {
    return model;
  }

  /** Why there is no estimate, when there is none; {@code null} otherwise. */
  public String reason() {
    return reason;
  }

  /**
   * What in the request was set aside: a body that is not JSON or too large, a {@code max_tokens} that is
   * no count. Empty for a request that is simply not estimated (a GET without body).
   */
  public List<Ignored> ignored() {
    return ignored;
  }

  @Override
  public String toString() {
    if (!known()) {
      return "no estimate: " + reason + (ignored.isEmpty() ? "" : " " + ignored);
    }
    return totalTokens() + " tokens (" + promptTokens + " prompt by " + encoding + " + " + maxOutputTokens
        + " output" + (outputDefaulted ? " by default" : "") + ") for " + model
        + (ignored.isEmpty() ? "" : " ignored " + ignored);
  }
}
