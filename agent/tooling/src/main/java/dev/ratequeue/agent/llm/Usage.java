package dev.ratequeue.agent.llm;

import java.util.OptionalLong;

/**
 * The tokens a call really cost, as its response says at its end; or that the end does not say, and why.
 */
public final class Usage {
  private final long total;
  private final long input;
  private final long output;
  private final String reason;

  private Usage(long total, long input, long output, String reason) {
    this.total = total;
    this.input = input;
    this.output = output;
    this.reason = reason;
  }

  /** Input and output given separately or not (-1 where not); the total when the response said it. */
  static Usage of(long total, long input, long output) {
    return new Usage(total, input, output, null);
  }

  /** Output known, input not (an Anthropic stream whose message_start is beyond the tail). */
  static Usage outputOnly(long output, String reason) {
    return new Usage(-1, -1, output, reason);
  }

  static Usage unknown(String reason) {
    return new Usage(-1, -1, -1, reason);
  }

  /** Whether the total is known. */
  public boolean known() {
    return total >= 0;
  }

  /** Prompt plus completion tokens, what counts against a tokens-per-minute limit; empty when not known. */
  public OptionalLong totalTokens() {
    return optional(total);
  }

  /** Prompt (input) tokens, when the response said them. */
  public OptionalLong inputTokens() {
    return optional(input);
  }

  /**
   * Completion (output) tokens, when the response said them; known even without a total for an Anthropic
   * stream whose start was not kept, so that the caller can add its own count of the prompt.
   */
  public OptionalLong outputTokens() {
    return optional(output);
  }

  /** Why the total is not known; {@code null} when it is. */
  public String reason() {
    return reason;
  }

  private static OptionalLong optional(long n) {
    return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
  }

  @Override
  public String toString() {
    if (known()) {
      return total + " tokens" + (input >= 0 && output >= 0 ? " (" + input + " in, " + output + " out)" : "");
    }
    return "unknown" + (output >= 0 ? " (" + output + " out)" : "") + ": " + reason;
  }
}
