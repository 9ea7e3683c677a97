package dev.ratequeue.agent.llm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one Jackson mapper of this package: strict, so that {@code {"a":1}}} is refused rather than read as
 * {@code {"a":1}} (a tail of a response can look like that), and shared, since mappers are thread-safe and
 * costly to make.
 */
final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {}

  /** The tree of one complete JSON value; throws for anything else. */
  static JsonNode parse(byte[] bytes, int offset, int length) throws IOException {
    JsonNode node = MAPPER.readTree(bytes, offset, length);
    if (node == null || node.isMissingNode()) {
      throw new IOException("no JSON value");
    }
    return node;
  }

  /** The tree, or {@code null} when the bytes are not exactly one JSON object. */
  static JsonNode objectOrNull(byte[] bytes, int offset, int length) {
    try {
      JsonNode node = parse(bytes, offset, length);
      return node.isObject() ? node : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The compact JSON text of {@code node}, to count the tokens of a tool's definition. */
  static String text(JsonNode node) {
    return node.toString();
  }

  /**
   * A whole number from 0 to {@link Integer#MAX_VALUE} ({@code 100}, or {@code 100.0} as some clients write
   * it); -1 for anything else, a string {@code "100"} included.
   */
  static long count(JsonNode node) {
    if (node == null || !node.isNumber() || !node.canConvertToExactIntegral()) {
      return -1;
    }
    if (!node.canConvertToLong()) {
      return -1;
    }
    long n = node.longValue();
    return n < 0 || n > Integer.MAX_VALUE ? -1 : n;
  }
}
