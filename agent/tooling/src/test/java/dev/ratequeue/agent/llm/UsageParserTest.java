package dev.ratequeue.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UsageParserTest {
  private static byte[] sample(String name) throws IOException {
    try (InputStream in = UsageParserTest.class.getResourceAsStream("usage/" + name)) {
      if (in == null) {
        throw new IOException("no test resource usage/" + name);
      }
      return in.readAllBytes();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What the caller keeps: the last TAIL_BYTES. */
  private static Usage tail(byte[] body) {
    int keep = Math.min(body.length, UsageParser.TAIL_BYTES);
    return UsageParser.parse(body, body.length - keep, keep);
  }

  /** Where the last {@code "usage":{} (the real one, in these samples) starts. */
  private static int lastUsageKey(byte[] body) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    return Math.max(s.lastIndexOf("\"usage\":{"), s.lastIndexOf("\"usage\": {"));
  }

  /**
   * Cuts the body at many points (every one near {@code mustKnowFrom}, every 7th elsewhere in the last 24 KiB)
   * and checks that a tail starting at or before {@code mustKnowFrom} gives {@code total}, and that no tail
   * ever gives another total.
   */
  private static void everyCut(byte[] body, int mustKnowFrom, long total) {
    int from = Math.max(0, body.length - 24 * 1024);
    for (int cut = from; cut < body.length; cut++) {
      if (Math.abs(cut - mustKnowFrom) > 700 && cut % 7 != 0) {
        continue;
      }
      Usage u = UsageParser.parse(body, cut, body.length - cut);
      String at = "tail from byte " + cut + " of " + body.length + ": " + u;
      if (cut <= mustKnowFrom) {
        assertThat(u.totalTokens()).as(at).hasValue(total);
      } else {
        assertThat(u.known()).as(at).isFalse();
      }
    }
  }

  @Test
  void openAiChatCompletion() throws IOException {
    byte[] body = sample("openai-chat.json");
    Usage u = UsageParser.parse(body);
    assertThat(u.totalTokens()).hasValue(1163);
    assertThat(u.inputTokens()).hasValue(1117);
    assertThat(u.outputTokens()).hasValue(46);
    assertThat(u.reason()).isNull();
    // Its content says "usage": {"total_tokens": 999999}, its tool call's arguments {"usage": {...}}.
    everyCut(body, lastUsageKey(body), 1163);
  }

  @Test
  void openAiChatStreamWithIncludeUsage() throws IOException {
    byte[] body = sample("openai-chat-stream.txt");
    assertThat(UsageParser.parse(body).totalTokens()).hasValue(139);
    assertThat(tail(body).totalTokens()).hasValue(139);
    assertThat(tail(body).inputTokens()).hasValue(19);
    // Cut mid-line: the usage chunk's start, or its usage object's, beyond the tail.
    everyCut(body, lastUsageKey(body), 139);
  }

  @Test
  void openAiChatStreamWithoutIncludeUsageHasNone() throws IOException {
    Usage u = tail(sample("openai-chat-stream-without-usage.txt"));
    assertThat(u.known()).isFalse();
    assertThat(u.reason()).contains("stream_options.include_usage");
  }

  @Test
  void embeddingsLongerThanTheTail() throws IOException {
    byte[] body = sample("openai-embeddings.json");
    assertThat(body.length).isGreaterThan(UsageParser.TAIL_BYTES);
    assertThat(tail(body).totalTokens()).hasValue(8);
    assertThat(tail(body).inputTokens()).hasValue(8);
    everyCut(body, lastUsageKey(body), 8);
  }

  @Test
  void responsesApi() throws IOException {
    byte[] body = sample("openai-responses.json");
    assertThat(tail(body).totalTokens()).hasValue(4123);
    assertThat(tail(body).outputTokens()).hasValue(4087);
    everyCut(body, lastUsageKey(body), 4123);
  }

  @Test
  void responsesApiStreamWhoseCompletedEventIsLongerThanTheTail() throws IOException {
    byte[] body = sample("openai-responses-stream.txt");
    String s = new String(body, StandardCharsets.UTF_8);
    int completed = s.lastIndexOf("data: {\"type\":\"response.completed\"");
    assertThat(s.length() - completed).isGreaterThan(UsageParser.TAIL_BYTES);
    assertThat(UsageParser.parse(body).totalTokens()).hasValue(4123);
    assertThat(tail(body).totalTokens()).hasValue(4123);
    everyCut(body, lastUsageKey(body), 4123);
  }

  @Test
  void anthropicMessage() throws IOException {
    byte[] body = sample("anthropic-message.json");
    Usage u = UsageParser.parse(body);
    assertThat(u.totalTokens()).as("input + output, cache counts aside").hasValue(2095 + 503);
    assertThat(u.inputTokens()).hasValue(2095);
    everyCut(body, lastUsageKey(body), 2598);
  }

  @Test
  void anthropicStreamWithItsStart() throws IOException {
    byte[] body = sample("anthropic-stream.txt");
    Usage u = UsageParser.parse(body);
    assertThat(u.totalTokens()).hasValue(472 + 151);
    assertThat(u.inputTokens()).hasValue(472);
    assertThat(u.outputTokens()).hasValue(151);
  }

  @Test
  void anthropicStreamWhoseStartIsBeyondTheTail() throws IOException {
    byte[] body = sample("anthropic-stream.txt");
    assertThat(body.length).isGreaterThan(UsageParser.TAIL_BYTES);
    Usage u = tail(body);
    assertThat(u.known()).isFalse();
    assertThat(u.outputTokens()).hasValue(151);
    assertThat(u.inputTokens()).isEmpty();
    assertThat(u.reason()).contains("message_start");
    // Wherever it is cut: the whole usage while message_start's usage is in, the output while message_delta's is.
    String s = new String(body, StandardCharsets.ISO_8859_1);
    int startUsage = s.indexOf("\"usage\":{");
    int deltaLine = s.lastIndexOf("data: {\"type\":\"message_delta\"");
    for (int cut = 0; cut < body.length; cut++) {
      if (cut > startUsage + 400 && cut < deltaLine - 700 && cut % 11 != 0) {
        continue;
      }
      Usage t = UsageParser.parse(body, cut, body.length - cut);
      String at = "tail from byte " + cut + ": " + t;
      if (t.known()) {
        assertThat(t.totalTokens()).as(at).hasValue(623);
      }
      if (cut <= s.indexOf("\"message\":{")) {
        assertThat(t.known()).as(at).isTrue();
      }
      if (cut <= deltaLine) {
        assertThat(t.outputTokens()).as(at).hasValue(151);
      }
    }
  }

  @Test
  void anthropicMessageDeltaThatCarriesTheInputToo() {
    byte[] body = utf8("event: message_delta\n"
        + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"input_tokens\":10682,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"output_tokens\":510,\"server_tool_use\":{\"web_search_requests\":1}}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    assertThat(UsageParser.parse(body).totalTokens()).hasValue(11192);
  }

  @Test
  void anthropicStreamCutBeforeItsEnd() {
    byte[] body = utf8("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
        + "\"usage\":{\"input_tokens\":472,\"output_tokens\":2}}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
        + "\"text_delta\",\"text\":\"Hel");
    Usage u = UsageParser.parse(body);
    assertThat(u.known()).as("message_start's output_tokens is not the reply's").isFalse();
    assertThat(u.outputTokens()).isEmpty();
  }

  @Test
  void crlfAndNoSpaceAfterData() {
    byte[] body = utf8("data:{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,"
        + "\"total_tokens\":3}}\r\n\r\ndata:[DONE]\r\n\r\n");
    assertThat(UsageParser.parse(body).totalTokens()).hasValue(3);
  }

  @Test
  void aUsageWithoutATotalIsTheSumOfItsParts() {
    assertThat(UsageParser.parse(utf8("{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5}}")).totalTokens())
        .hasValue(12);
    assertThat(UsageParser.parse(utf8("{\"usage\":{\"prompt_tokens\":7}}")).known()).isFalse();
  }

  @Test
  void unknownWhenThereIsNoUsage() {
    for (String body : new String[] {"", "{}", "{\"usage\":null}", "{\"usage\":\"lots\"}", "{\"usage\":{}}",
        "{\"usage\":{\"total_tokens\":-3}}", "{\"usage\":{\"total_tokens\":\"12\"}}",
        "{\"usage\":{\"total_tokens\":1.5}}",
        "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"tokens\","
            + "\"code\":\"rate_limit_exceeded\"}}",
        "not json at all", "data: [DONE]\n\n", "\u001f\u008b\b\u0000\u0000\u0000", "}}}}]]]\"\"\\\\"}) {
      Usage u = UsageParser.parse(utf8(body));
      assertThat(u.known()).as(body).isFalse();
      assertThat(u.reason()).as(body).isNotBlank();
    }
    assertThat(UsageParser.parse(null).reason()).isEqualTo("no body");
    assertThat(UsageParser.parse(new byte[10], 5, 10).known()).isFalse();
    assertThat(UsageParser.parse(new byte[10], -1, 2).known()).isFalse();
  }

  @Test
  void aUsageInsideAStringIsNoUsage() {
    // Cut inside a string that holds what looks like a usage, with escaped quotes and backslashes.
    String body = "{\"choices\":[{\"message\":{\"content\":\"x\\\\\\\"usage\\\\\\\":{\\\"total_tokens\\\":5}"
        + " and \\\"usage\\\": {\\\"total_tokens\\\": 6}\"}}]}";
    for (int cut = 0; cut < body.length(); cut++) {
      byte[] b = utf8(body);
      assertThat(UsageParser.parse(b, cut, b.length - cut).known()).as(body.substring(cut)).isFalse();
    }
    // A usage nested deeper than the response's own is not the response's.
    assertThat(UsageParser.parse(utf8("{\"choices\":[{\"usage\":{\"total_tokens\":5}}],\"x\":1}")).known()).isFalse();
    byte[] nested = utf8("xx\"a\":{\"b\":{\"usage\":{\"total_tokens\":5}}}}");
    assertThat(UsageParser.parse(nested, 2, nested.length - 2).known()).isFalse();
  }

  @Test
  void neverThrowsOnGarbage() throws IOException {
    byte[] body = sample("openai-responses-stream.txt");
    java.util.Random random = new java.util.Random(3);
    for (int round = 0; round < 2000; round++) {
      byte[] b = Arrays.copyOfRange(body, body.length - 4096, body.length);
      for (int k = random.nextInt(20); k >= 0; k--) {
        b[random.nextInt(b.length)] = (byte) "{}[]\"\\:,\n x".charAt(random.nextInt(11));
      }
      Usage u = UsageParser.parse(b);
      if (u.known()) {
        assertThat(u.totalTokens().getAsLong()).isNotNegative();
      }
    }
  }
}
