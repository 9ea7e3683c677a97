package dev.ratequeue.agent.llm;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How far {@link TokenEstimator}'s prompt counts are from the exact ones, on a fixed corpus of 20 chat
 * prompts (estimate-corpus.json beside this class: English, code, Chinese, Japanese, Korean, emoji, seven
 * scripts at once, several messages, system prompts, names), as a Markdown table for BENCHMARKS.md.
 *
 * <p>"Exact" is OpenAI's cookbook formula applied to each message here, directly and not through the
 * estimator's JSON reading, with the model's encoding (the count the cookbook checks against the API's
 * {@code prompt_tokens}). Each request is sent to the estimator as JSON, every other one with all non-ASCII
 * characters escaped ({@code \u6771}), as clients do either way. Next to it, for a model without its
 * tokenizer here, the fallback (cl100k_base x 1.25) and the rule it was preferred to (characters / 4), each
 * against o200k_base.
 *
 * <p>Run, from the repository's root:
 *
 * <pre>
 * mvn -q -pl agent/tooling -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp agent/tooling/target/test-classes:agent/tooling/target/classes:$(cat agent/tooling/target/cp.txt) \
 *     dev.ratequeue.agent.llm.EstimateAccuracy
 * </pre>
 *
 * <p>{@code EstimateAccuracyTest} prints the same table and writes it to
 * {@code agent/tooling/target/estimate-accuracy.md}.
 */
public final class EstimateAccuracy {
  static final String FALLBACK_MODEL = "claude-sonnet-4-5";

  /** One prompt's counts. */
  static final class Row {
    final String id;
    final String kind;
    final long exactO200k;
    final long estimatedO200k;
    final long exactCl100k;
    final long estimatedCl100k;
    final long fallback;
    final long charsOver4;

    Row(String id, String kind, long exactO200k, long estimatedO200k, long exactCl100k, long estimatedCl100k,
        long fallback, long charsOver4) {
      this.id = id;
      this.kind = kind;
      this.exactO200k = exactO200k;
      this.estimatedO200k = estimatedO200k;
      this.exactCl100k = exactCl100k;
      this.estimatedCl100k = estimatedCl100k;
      this.fallback = fallback;
      this.charsOver4 = charsOver4;
    }
  }

  private EstimateAccuracy() {}

  public static void main(String[] args) {
    System.out.print(table(rows()));
  }

  static List<Row> rows() {
    ObjectMapper plain = new ObjectMapper();
    ObjectMapper escaping = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    TokenEstimator estimator = new TokenEstimator();
    List<Row> rows = new ArrayList<>();
    int i = 0;
    for (JsonNode prompt : corpus(plain)) {
      ObjectMapper writer = i++ % 2 == 0 ? plain : escaping;
      JsonNode messages = prompt.get("messages");
      rows.add(new Row(prompt.get("id").asText(), prompt.get("kind").asText(),
          cookbook("gpt-4o", messages), estimated(estimator, writer, "gpt-4o", messages),
          cookbook("gpt-4", messages), estimated(estimator, writer, "gpt-4", messages),
          estimated(estimator, writer, FALLBACK_MODEL, messages), charsOver4(messages)));
    }
    return rows;
  }

  private static JsonNode corpus(ObjectMapper mapper) {
    try (InputStream in = EstimateAccuracy.class.getResourceAsStream("estimate-corpus.json")) {
      if (in == null) {
        throw new IOException("estimate-corpus.json is not on the class path");
      }
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** num_tokens_from_messages: 3 a message, its role, content and name, 1 for a name, 3 for the reply. */
  static long cookbook(String model, JsonNode messages) {
    long n = 3;
    for (JsonNode m : messages) {
      n += 3 + exact(model, m.get("role").asText()) + exact(model, m.get("content").asText());
      if (m.has("name")) {
        n += exact(model, m.get("name").asText()) + 1;
      }
    }
    return n;
  }

  private static long exact(String model, String text) {
    return TokenEstimator.exactTokens(model, text).getAsInt();
  }

  private static long estimated(TokenEstimator estimator, ObjectMapper writer, String model, JsonNode messages) {
    ObjectNode request = writer.createObjectNode().put("model", model).put("max_tokens", 1);
    ArrayNode copy = request.putArray("messages");
    messages.forEach(copy::add);
    try {
      TokenEstimate e = estimator.estimate("/v1/chat/completions", writer.writeValueAsBytes(request));
      if (!e.known()) {
        throw new IllegalStateException("no estimate: " + e);
      }
      return e.promptTokens();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Characters (code points) / 4, rounded up, with the same per-message overhead as the cookbook's. */
  static long charsOver4(JsonNode messages) {
    long n = 3;
    for (JsonNode m : messages) {
      long chars = 0;
      for (JsonNode value : m) {
        chars += value.asText().codePointCount(0, value.asText().length());
      }
      n += 3 + (chars + 3) / 4;
    }
    return n;
  }

  static double error(long estimated, long exact) {
    return 100.0 * (estimated - exact) / exact;
  }

  static String table(List<Row> rows) {
    StringBuilder t = new StringBuilder();
    t.append("| prompt | kind | exact gpt-4o (o200k_base) | estimated | error | exact gpt-4 (cl100k_base) "
        + "| estimated | error | fallback, unknown model (cl100k_base x 1.25) | vs o200k_base | characters / 4 "
        + "| vs o200k_base |\n");
    t.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    double fallbackSum = 0;
    double charsSum = 0;
    double fallbackMin = Double.MAX_VALUE;
    double charsMin = Double.MAX_VALUE;
    for (Row r : rows) {
      double fallback = error(r.fallback, r.exactO200k);
      double chars = error(r.charsOver4, r.exactO200k);
      fallbackSum += Math.abs(fallback);
      charsSum += Math.abs(chars);
      fallbackMin = Math.min(fallbackMin, fallback);
      charsMin = Math.min(charsMin, chars);
      t.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %d | %d | %s | %d | %s | %d | %s |%n",
          r.id, r.kind, r.exactO200k, r.estimatedO200k, percent(error(r.estimatedO200k, r.exactO200k)), r.exactCl100k,
          r.estimatedCl100k, percent(error(r.estimatedCl100k, r.exactCl100k)), r.fallback, percent(fallback),
          r.charsOver4, percent(chars)));
    }
    t.append(String.format(Locale.ROOT, "| mean of \\|error\\| | | | | | | | | | %.1f %% | | %.1f %% |%n",
        fallbackSum / rows.size(), charsSum / rows.size()));
    t.append(String.format(Locale.ROOT, "| lowest | | | | | | | | | %s | | %s |%n", percent(fallbackMin),
        percent(charsMin)));
    return t.toString();
  }

  private static String percent(double p) {
    return String.format(Locale.ROOT, "%+.1f %%", p).replace("+0.0 %", "0.0 %");
  }
}
