package dev.ratequeue.agent.llm;

import java.util.Objects;

/**
 * A value the parsers of this package read and set aside because it was not what its format allows: a
 * header such as {@code x-ratelimit-reset-tokens: soon}, a request field such as {@code "max_tokens": -1}.
 *
 * <p>The parsers never throw at such values: the agent must not be the reason a call fails, and one bad
 * header from an upstream says nothing about the next. But the user should hear of it, once: the caller
 * logs {@link #message()} with {@code AgentLog.get().once(resource + ":" + name(), …)}, so that each
 * resource names each bad header or field one time, not once a call.
 */
public final class Ignored {
  private final String name;
  private final String value;
  private final String reason;

  Ignored(String name, String value, String reason) {
    this.name = Objects.requireNonNull(name);
    this.value = value;
    this.reason = Objects.requireNonNull(reason);
  }

  /** The header's name (lower case) or the request field's name; the key to log it once by. */
  public String name() {
    return name;
  }

  /** The value as received, or for a request body a description of it (never its content). */
  public String value() {
    return value;
  }

  /** What was expected instead, or why the value cannot be used. */
  public String reason() {
    return reason;
  }

  /** {@code x-ratelimit-reset-tokens = 'soon' ignored: expected a duration such as 1s, 6m0s or 20ms}. */
  public String message() {
    return name + " = '" + value + "' ignored: " + reason;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Ignored)) {
      return false;
    }
    Ignored other = (Ignored) o;
    return name.equals(other.name) && Objects.equals(value, other.value) && reason.equals(other.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, value, reason);
  }

  @Override
  public String toString() {
    return message();
  }
}
