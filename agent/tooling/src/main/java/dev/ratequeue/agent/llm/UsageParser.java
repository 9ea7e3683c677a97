package dev.ratequeue.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the tokens a call really cost from the end of its response body, which the caller keeps while the
 * application reads it: the last {@link #TAIL_BYTES} bytes, decoded (not gzip), in order.
 *
 * <p>Formats, told apart by what they hold rather than by the endpoint:
 *
 * <ul>
 *   <li>a JSON response with a top-level {@code usage}: OpenAI's chat completions and completions
 *       ({@code total_tokens}, {@code prompt_tokens}, {@code completion_tokens}), embeddings
 *       ({@code prompt_tokens}, {@code total_tokens}), the Responses API ({@code input_tokens},
 *       {@code output_tokens}, {@code total_tokens}), Anthropic's messages ({@code input_tokens} +
 *       {@code output_tokens}; its cache reads and writes, reported apart, are not added).
 *   <li>a server-sent event stream, read from its last event back: OpenAI's last chunk with a
 *       {@code usage} (sent only when the request set {@code stream_options.include_usage}) before
 *       {@code data: [DONE]}; the Responses API's {@code response.completed} (or {@code .incomplete},
 *       {@code .failed}) event's {@code response.usage}; Anthropic's {@code message_delta}, whose
 *       {@code usage.output_tokens} is the reply's total output, with the input from {@code message_start}.
 * </ul>
 *
 * <p>The usage is found by parsing JSON, never by searching for {@code "usage"}: a reply that talks about
 * usage, or a tool call whose arguments hold {@code {"usage": …}}, is text inside a string. Where the tail
 * starts inside a JSON value (a non-streamed body longer than the tail, or a {@code response.completed}
 * event longer than the tail, since it repeats the whole response), the member is found by reading that
 * value backwards from its end ({@link JsonTail}).
 *
 * <p><b>Anthropic's input tokens.</b> {@code message_start} is a stream's first event: the tail holds it
 * only for short replies. When it does not, the usage has {@link Usage#outputTokens()} but no total
 * ({@link Usage#known()} false): the caller adds its own estimate of the prompt, made before the call, the
 * best count of the input there is then. Keeping the head of the stream too would give the exact one; a
 * stream's {@code message_delta} that also carries {@code input_tokens}, as Anthropic's newer ones can,
 * needs no {@code message_start}.
 *
 * <p>Never throws.
 */
public final class UsageParser {
  /**
   * What the caller keeps of each response's end: 16 KiB. The usage is near the end in every format; what
   * can follow it is short (OpenAI's {@code service_tier} and {@code system_fingerprint}, the stream's
   * {@code data: [DONE]}, Anthropic's {@code message_stop}), except in the Responses API, where the
   * response's {@code user} and {@code metadata} follow it: up to 16 pairs of 64 and 512 characters, about
   * 9.5 KiB. 16 KiB holds that and the usage with room, and costs 16 KiB a call in flight. It also holds
   * an Anthropic stream's {@code message_start} for replies of up to a few hundred tokens.
   */
  public static final int TAIL_BYTES = 16 * 1024;

  private static final byte[] USAGE = {'"', 'u', 's', 'a', 'g', 'e', '"'};
  private static final String NO_USAGE_IN_STREAM = "no usage in the stream's last events (an OpenAI stream has "
      + "one only when the request sets stream_options.include_usage)";

  private UsageParser() {}

  /** The usage in {@code tail}, the end of a response body (or all of it). */
  public static Usage parse(byte[] tail) {
    return tail == null ? Usage.unknown("no body") : parse(tail, 0, tail.length);
  }

  /** The usage in {@code buffer[offset, offset + length)}, the end of a response body. */
  public static Usage parse(byte[] buffer, int offset, int length) {
    if (buffer == null || length <= 0) {
      return Usage.unknown("no body");
    }
    if (offset < 0 || offset > buffer.length || length > buffer.length - offset) {
      return Usage.unknown("offset " + offset + " and length " + length + " outside a buffer of " + buffer.length);
    }
    try {
      int end = offset + length;
      return isEventStream(buffer, offset, end) ? stream(buffer, offset, end) : json(buffer, offset, end);
    } catch (RuntimeException | StackOverflowError e) {
      return Usage.unknown("unreadable (" + e + ")");
    }
  }

  private static Usage json(byte[] b, int from, int to) {
    JsonNode whole = Json.objectOrNull(b, from, to - from);
    if (whole != null) {
      Usage u = usage(whole.get("usage"));
      return u != null ? u : Usage.unknown("no usage in the response");
    }
    // The end of a JSON body, or of an event stream whose last event is longer than the tail.
    Usage u = cut(b, from, to, -1);
    return u != null ? u : Usage.unknown("no usage in the response's last " + (to - from) + " bytes");
  }

  private static Usage stream(byte[] b, int from, int to) {
    long anthropicOutput = -1;
    int lineEnd = to;
    while (lineEnd > from) {
      int lineStart = lineEnd;
      while (lineStart > from && b[lineStart - 1] != '\n' && b[lineStart - 1] != '\r') {
        lineStart--;
      }
      boolean first = lineStart == from;
      // Every event that tells a usage has a "usage" member: the others are not worth parsing.
      JsonNode event = contains(b, lineStart, lineEnd, USAGE) ? dataLine(b, lineStart, lineEnd) : null;
      if (event != null) {
        String type = event.path("type").asText("");
        if (anthropicOutput >= 0) {
          if (type.equals("message_start")) {
            long input = count(event.path("message").path("usage"), "input_tokens");
            if (input >= 0) {
              return Usage.of(input + anthropicOutput, input, anthropicOutput);
            }
          }
        } else if (type.equals("message_delta")) {
          JsonNode u = event.path("usage");
          long output = count(u, "output_tokens");
          long input = count(u, "input_tokens");
          if (output >= 0 && input >= 0) {
            return Usage.of(input + output, input, output);
          }
          anthropicOutput = output;
        } else if (type.equals("message_start")) {
          return Usage.unknown("the stream ends before its message_delta");
        } else {
          Usage u = usage(event.has("response") ? event.get("response").get("usage") : event.get("usage"));
          if (u != null && u.known()) {
            return u;
          }
        }
      } else if (first) {
        Usage u = cut(b, lineStart, lineEnd, anthropicOutput);
        if (u != null) {
          return u;
        }
      }
      lineEnd = lineStart - 1;
    }
    if (anthropicOutput >= 0) {
      return Usage.outputOnly(anthropicOutput, "the stream's message_start, with its input tokens, is beyond the "
          + "last " + (to - from) + " bytes");
    }
    return Usage.unknown(NO_USAGE_IN_STREAM);
  }

  /**
   * The end of a JSON value whose start is before the tail: a body, or the first line of a stream's tail,
   * read backwards. Its usage is at depth 1 (a body's, an OpenAI chunk's, an Anthropic message_delta's) or 2
   * (a {@code response.completed} event's {@code response}, an Anthropic {@code message_start}'s
   * {@code message}). {@code null} when there is none.
   */
  private static Usage cut(byte[] b, int from, int to, long anthropicOutput) {
    JsonTail.Member m = JsonTail.lastObjectMember(b, from, to, "usage", 2);
    JsonNode u = m == null ? null : Json.objectOrNull(b, m.start, m.end - m.start);
    if (u == null) {
      return null;
    }
    boolean inMessage = m.depth == 2 && "message".equals(m.parentKey);
    if (anthropicOutput >= 0) {
      long input = inMessage ? count(u, "input_tokens") : -1;
      return input < 0 ? null : Usage.of(input + anthropicOutput, input, anthropicOutput);
    }
    if (inMessage) {
      return Usage.unknown("the stream ends before its message_delta");
    }
    if (m.depth == 2 && !"response".equals(m.parentKey) && (m.parentKey != null || count(u, "total_tokens") < 0)) {
      // Under another key, or one cut off: only a usage that states its total is safe to take, and only there.
      return null;
    }
    Usage usage = usage(u);
    if (usage != null && !usage.known() && usage.outputTokens().isPresent()) {
      return Usage.outputOnly(usage.outputTokens().getAsLong(), "the stream's message_start, with its input "
          + "tokens, is beyond the last " + (to - from) + " bytes");
    }
    return usage;
  }

  /** The JSON object of a {@code data:} line; {@code null} for any other line, {@code [DONE]}, or a cut one. */
  private static JsonNode dataLine(byte[] b, int from, int to) {
    if (!startsWith(b, from, to, "data:")) {
      return null;
    }
    int p = from + 5;
    while (p < to && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    return p < to && b[p] == '{' ? Json.objectOrNull(b, p, to - p) : null;
  }

  /**
   * The usage an object states: its total, or the sum of its prompt (input) and completion (output) tokens;
   * only output for an Anthropic message_delta. {@code null} for no usage object; unknown for one without
   * counts.
   */
  private static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return null;
    }
    long total = count(u, "total_tokens");
    long input = first(count(u, "prompt_tokens"), count(u, "input_tokens"));
    long output = first(count(u, "completion_tokens"), count(u, "output_tokens"));
    if (total >= 0) {
      return Usage.of(total, input, output);
    }
    if (input >= 0 && output >= 0) {
      return Usage.of(input + output, input, output);
    }
    if (output >= 0) {
      return Usage.outputOnly(output, "no input tokens in the usage");
    }
    return Usage.unknown("a usage without token counts");
  }

  private static long first(long a, long b) {
    return a >= 0 ? a : b;
  }

  private static long count(JsonNode object, String field) {
    return object == null ? -1 : Json.count(object.get(field));
  }

  /**
   * Whether a line starts with {@code data:} or {@code event:}: no line of a JSON text can (outside a string
   * a key is quoted; inside one, a line break is escaped).
   */
  private static boolean isEventStream(byte[] b, int from, int to) {
    int lineStart = from;
    for (int i = from; i <= to; i++) {
      if (i == to || b[i] == '\n' || b[i] == '\r') {
        if (startsWith(b, lineStart, i, "data:") || startsWith(b, lineStart, i, "event:")) {
          return true;
        }
        lineStart = i + 1;
      }
    }
    return false;
  }

  private static boolean contains(byte[] b, int from, int to, byte[] what) {
    outer:
    for (int i = from; i <= to - what.length; i++) {
      for (int k = 0; k < what.length; k++) {
        if (b[i + k] != what[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean startsWith(byte[] b, int from, int to, String prefix) {
    if (to - from < prefix.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (b[from + k] != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
