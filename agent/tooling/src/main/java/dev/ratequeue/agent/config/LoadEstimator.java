package dev.ratequeue.agent.config;

import dev.ratequeue.coordination.ConfigurationException;
import java.util.Locale;

/**
 * How a resource weighs a call against its {@code load} limit, {@code ratequeue.resources.<name>.load-estimator}:
 * <ul>
 *   <li>{@code openai}: an OpenAI-compatible request ({@code /chat/completions}, {@code /completions},
 *       {@code /embeddings}, {@code /responses}) weighs the tokens it will cost, from its body, and the call
 *       is charged what the response's {@code usage} says it cost; any other request weighs 1. The default.
 *   <li>a whole number: every call weighs that much.
 *   <li>{@code header:<Name>}: the number the request's header gives (1 when it is missing or unreadable).
 * </ul>
 * A scope's load ({@code RateQueue.load(…)}) wins over all of them.
 */
public final class LoadEstimator {
  public enum Kind {
    OPENAI, CONSTANT, HEADER
  }

  public static final LoadEstimator OPENAI = new LoadEstimator(Kind.OPENAI, 1, null);

  private final Kind kind;
  private final long constant;
  private final String header;

  private LoadEstimator(Kind kind, long constant, String header) {
    this.kind = kind;
    this.constant = constant;
    this.header = header;
  }

  static LoadEstimator parse(String key, String value) {
    String v = value.trim();
    if (v.toLowerCase(Locale.ROOT).equals("openai")) {
      return OPENAI;
    }
    if (v.toLowerCase(Locale.ROOT).startsWith("header:") && v.length() > "header:".length()) {
      String name = v.substring("header:".length()).trim();
      if (name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        return new LoadEstimator(Kind.HEADER, 1, name);
      }
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return new LoadEstimator(Kind.CONSTANT, n, null);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(key, value, "openai, a whole number >= 0 (every call's load), or "
        + "header:<Name> (the request header that gives it)");
  }

  public Kind kind() {
    return kind;
  }

  public long constant() {
    return constant;
  }

  public String header() {
    return header;
  }

  @Override
  public String toString() {
    return kind == Kind.OPENAI ? "openai" : kind == Kind.CONSTANT ? Long.toString(constant) : "header:" + header;
  }
}
