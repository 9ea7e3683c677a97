package dev.ratequeue.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  /** "Name: value" lines, looked up in any case, as the interceptors' header lookups do. */
  private static Function<String, String> headers(String... lines) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line : lines) {
      int colon = line.indexOf(':');
      map.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1));
    }
    return map::get;
  }

  private static RateLimitHeaders parse(String... lines) {
    return RateLimitHeaders.parse(headers(lines), NOW);
  }

  private static QuotaObservation only(RateLimitHeaders h, LimitKind kind) {
    return h.observation(kind).orElseThrow(() -> new AssertionError("no " + kind + " in " + h));
  }

  @Test
  void openAi() {
    // As in OpenAI's rate-limit guide.
    RateLimitHeaders h = parse(
        "x-ratelimit-limit-requests: 60",
        "x-ratelimit-limit-tokens: 150000",
        "x-ratelimit-remaining-requests: 59",
        "x-ratelimit-remaining-tokens: 149984",
        "x-ratelimit-reset-requests: 1s",
        "x-ratelimit-reset-tokens: 6m0s");
    assertThat(h.ignored()).isEmpty();
    assertThat(h.observations()).extracting(QuotaObservation::kind, QuotaObservation::limit,
        QuotaObservation::remaining, o -> o.resetAfter().orElse(null)).containsExactly(
        tuple(LimitKind.REQUESTS, OptionalLong.of(60), 59L, Duration.ofSeconds(1)),
        tuple(LimitKind.TOKENS, OptionalLong.of(150000), 149984L, Duration.ofMinutes(6)));
    assertThat(only(h, LimitKind.TOKENS).source()).isEqualTo("x-ratelimit-remaining-tokens");
  }

  @Test
  void openAiResetsInEveryShapeGoWrites() {
    String[][] cases = {{"20ms", "PT0.02S"}, {"0.5s", "PT0.5S"}, {"1m30.5s", "PT1M30.5S"}, {"2h0m0s", "PT2H"},
        {"8.64s", "PT8.64S"}, {"0s", "PT0S"}, {"23h59m59s", "PT23H59M59S"}};
    for (String[] c : cases) {
      RateLimitHeaders h = parse("X-RateLimit-Remaining-Tokens: 0", "X-RateLimit-Reset-Tokens: " + c[0]);
      assertThat(only(h, LimitKind.TOKENS).resetAfter()).as(c[0]).contains(Duration.parse(c[1]));
    }
  }

  @Test
  void azureOpenAiSendsOnlyWhatIsLeft() {
    RateLimitHeaders h = parse("x-ratelimit-remaining-requests: 119", "x-ratelimit-remaining-tokens: 119000",
        "x-ms-region: Sweden Central");
    QuotaObservation tokens = only(h, LimitKind.TOKENS);
    assertThat(tokens.remaining()).isEqualTo(119000);
    assertThat(tokens.limit()).isEmpty();
    assertThat(tokens.resetAfter()).isEmpty();
    assertThat(h.ignored()).isEmpty();
  }

  @Test
  void malformedOpenAiValuesAreIgnoredAndNamed() {
    RateLimitHeaders h = parse(
        "x-ratelimit-limit-requests: lots",
        "x-ratelimit-remaining-requests: -5",
        "x-ratelimit-reset-requests: 1s",
        "x-ratelimit-limit-tokens: 150000",
        "x-ratelimit-remaining-tokens: 1.5e5",
        "x-ratelimit-reset-tokens: soon");
    assertThat(h.observations()).as("no remaining that can be read: nothing observed").isEmpty();
    assertThat(h.ignored()).extracting(Ignored::name, Ignored::value).containsExactly(
        tuple("x-ratelimit-remaining-requests", "-5"),
        tuple("x-ratelimit-limit-requests", "lots"),
        tuple("x-ratelimit-remaining-tokens", "1.5e5"),
        tuple("x-ratelimit-reset-tokens", "soon"));
    assertThat(h.ignored().get(3).message())
        .isEqualTo("x-ratelimit-reset-tokens = 'soon' ignored: expected a duration such as 20ms, 1s, 6m0s or 1m30.5s");
  }

  @Test
  void aBadResetLeavesTheRestOfTheObservation() {
    RateLimitHeaders h = parse("x-ratelimit-limit-tokens: 30000", "x-ratelimit-remaining-tokens: 0",
        "x-ratelimit-reset-tokens: -3s");
    QuotaObservation tokens = only(h, LimitKind.TOKENS);
    assertThat(tokens.remaining()).isZero();
    assertThat(tokens.limit()).hasValue(30000);
    assertThat(tokens.resetAfter()).isEmpty();
    assertThat(h.ignored()).extracting(Ignored::name).containsExactly("x-ratelimit-reset-tokens");
  }

  @Test
  void digitsOfOtherScriptsAreNoNumbers() {
    // Long.parseLong would read both as numbers.
    RateLimitHeaders h = parse("x-ratelimit-remaining-requests: \uff15\uff10", "x-ratelimit-remaining-tokens: \u0665");
    assertThat(h.observations()).isEmpty();
    assertThat(h.ignored()).extracting(Ignored::value).containsExactly("\uff15\uff10", "\u0665");
  }

  @Test
  void hugeNumbersAndResets() {
    RateLimitHeaders h = parse(
        "x-ratelimit-remaining-requests: 99999999999999999999999",
        "x-ratelimit-remaining-tokens: 999999999999999999",
        "x-ratelimit-reset-tokens: 9000000h");
    assertThat(only(h, LimitKind.TOKENS).remaining()).isEqualTo(999_999_999_999_999_999L);
    assertThat(only(h, LimitKind.TOKENS).resetAfter()).isEmpty();
    assertThat(h.ignored()).extracting(Ignored::name, Ignored::reason).containsExactly(
        tuple("x-ratelimit-remaining-requests", "expected a whole number, 0 or more"),
        tuple("x-ratelimit-reset-tokens", "a reset more than 366 days away is no rate-limit window"));
  }

  @Test
  void anthropicsFourQuotas() {
    // As in Anthropic's rate-limit documentation; resets are RFC 3339 times.
    RateLimitHeaders h = parse(
        "anthropic-ratelimit-requests-limit: 50",
        "anthropic-ratelimit-requests-remaining: 49",
        "anthropic-ratelimit-requests-reset: 2026-12-01T10:00:01Z",
        "anthropic-ratelimit-tokens-limit: 38000",
        "anthropic-ratelimit-tokens-remaining: 37000",
        "anthropic-ratelimit-tokens-reset: 2026-12-01T10:00:02.500Z",
        "anthropic-ratelimit-input-tokens-limit: 30000",
        "anthropic-ratelimit-input-tokens-remaining: 29100",
        "anthropic-ratelimit-input-tokens-reset: 2026-12-01T11:00:03+01:00",
        "anthropic-ratelimit-output-tokens-limit: 8000",
        "anthropic-ratelimit-output-tokens-remaining: 7900",
        "anthropic-ratelimit-output-tokens-reset: 2026-12-01T09:59:00Z",
        "retry-after: 1",
        "request-id: req_018EeWyXxfu5pfWkrYcMdjWG");
    assertThat(h.ignored()).isEmpty();
    assertThat(h.observations()).extracting(QuotaObservation::kind, QuotaObservation::limit,
        QuotaObservation::remaining, o -> o.resetAfter().orElse(null)).containsExactly(
        tuple(LimitKind.REQUESTS, OptionalLong.of(50), 49L, Duration.ofSeconds(1)),
        tuple(LimitKind.TOKENS, OptionalLong.of(38000), 37000L, Duration.ofMillis(2500)),
        tuple(LimitKind.INPUT_TOKENS, OptionalLong.of(30000), 29100L, Duration.ofSeconds(3)),
        tuple(LimitKind.OUTPUT_TOKENS, OptionalLong.of(8000), 7900L, Duration.ZERO));
    assertThat(only(h, LimitKind.INPUT_TOKENS).source()).isEqualTo("anthropic-ratelimit-input-tokens-remaining");
  }

  @Test
  void anthropicResetsThatAreNoRfc3339Times() {
    RateLimitHeaders h = parse(
        "anthropic-ratelimit-requests-remaining: 0",
        "anthropic-ratelimit-requests-reset: Tue, 01 Dec 2026 10:00:30 GMT",
        "anthropic-ratelimit-tokens-remaining: 0",
        "anthropic-ratelimit-tokens-reset: 2026-12-01t10:00:30z",
        "anthropic-ratelimit-input-tokens-remaining: 0",
        "anthropic-ratelimit-input-tokens-reset: 2026-12-01T10:00:30",
        "anthropic-ratelimit-output-tokens-remaining: 0",
        "anthropic-ratelimit-output-tokens-reset: 9999-12-31T23:59:59Z");
    assertThat(only(h, LimitKind.TOKENS).resetAfter()).as("lower case t and z are RFC 3339 too")
        .contains(Duration.ofSeconds(30));
    assertThat(only(h, LimitKind.REQUESTS).resetAfter()).isEmpty();
    assertThat(only(h, LimitKind.INPUT_TOKENS).resetAfter()).as("no offset").isEmpty();
    assertThat(only(h, LimitKind.OUTPUT_TOKENS).resetAfter()).as("8000 years").isEmpty();
    assertThat(h.ignored()).extracting(Ignored::name).containsExactly("anthropic-ratelimit-requests-reset",
        "anthropic-ratelimit-input-tokens-reset", "anthropic-ratelimit-output-tokens-reset");
  }

  @Test
  void gitHub() {
    // As in GitHub's REST API documentation, at NOW.
    long reset = NOW.getEpochSecond() + 1234;
    RateLimitHeaders h = parse(
        "x-ratelimit-limit: 5000",
        "x-ratelimit-remaining: 4999",
        "x-ratelimit-used: 1",
        "x-ratelimit-reset: " + reset,
        "x-ratelimit-resource: core");
    QuotaObservation requests = only(h, LimitKind.REQUESTS);
    assertThat(requests.limit()).hasValue(5000);
    assertThat(requests.remaining()).isEqualTo(4999);
    assertThat(requests.resetAfter()).contains(Duration.ofSeconds(1234));
    assertThat(requests.source()).isEqualTo("x-ratelimit-remaining (core)");
    assertThat(h.observations()).hasSize(1);
  }

  @Test
  void gitHubStyleNamesFromOtherServers() {
    assertThat(only(parse("x-ratelimit-remaining: 3", "x-ratelimit-reset: 60"), LimitKind.REQUESTS).resetAfter())
        .as("a small reset is seconds from now").contains(Duration.ofSeconds(60));
    assertThat(only(parse("x-ratelimit-remaining: 3", "x-ratelimit-reset: " + (NOW.getEpochSecond() - 10)),
        LimitKind.REQUESTS).resetAfter()).as("an epoch time past").contains(Duration.ZERO);
    assertThat(only(parse("x-ratelimit-remaining: 3", "x-ratelimit-reset: " + NOW.getEpochSecond() + ".250"),
        LimitKind.REQUESTS).resetAfter()).as("fractional epoch seconds").contains(Duration.ofMillis(250));
    QuotaObservation fromUsed = only(parse("x-ratelimit-limit: 60", "x-ratelimit-used: 61"), LimitKind.REQUESTS);
    assertThat(fromUsed.remaining()).as("limit minus used, not below 0").isZero();
    RateLimitHeaders huge = parse("x-ratelimit-remaining: 0", "x-ratelimit-reset: 99999999999");
    assertThat(only(huge, LimitKind.REQUESTS).resetAfter()).as("year 5138").isEmpty();
    assertThat(huge.ignored()).extracting(Ignored::message).containsExactly(
        "x-ratelimit-reset = '99999999999' ignored: a reset more than 366 days away is no rate-limit window");
    RateLimitHeaders negative = parse("x-ratelimit-remaining: 0", "x-ratelimit-reset: -60");
    assertThat(negative.ignored()).extracting(Ignored::name).containsExactly("x-ratelimit-reset");
  }

  @Test
  void ietfSeparateHeaders() {
    RateLimitHeaders h = parse("RateLimit-Limit: 100", "RateLimit-Remaining: 50", "RateLimit-Reset: 30");
    QuotaObservation requests = only(h, LimitKind.REQUESTS);
    assertThat(requests.limit()).hasValue(100);
    assertThat(requests.remaining()).isEqualTo(50);
    assertThat(requests.resetAfter()).contains(Duration.ofSeconds(30));
    // Drafts -01 to -03 list the policies after the limit in force.
    h = parse("RateLimit-Limit: 10, 10;w=1, 1000;w=3600", "RateLimit-Remaining: 9", "RateLimit-Reset: 1");
    assertThat(only(h, LimitKind.REQUESTS).limit()).hasValue(10);
    h = parse("RateLimit-Limit: ten", "RateLimit-Remaining: 9", "RateLimit-Reset: in a minute");
    assertThat(only(h, LimitKind.REQUESTS).limit()).isEmpty();
    assertThat(only(h, LimitKind.REQUESTS).resetAfter()).isEmpty();
    assertThat(h.ignored()).extracting(Ignored::name).containsExactly("ratelimit-limit", "ratelimit-reset");
  }

  @Test
  void ietfDictionary() {
    QuotaObservation o = only(parse("RateLimit: limit=100, remaining=50, reset=30"), LimitKind.REQUESTS);
    assertThat(o.limit()).hasValue(100);
    assertThat(o.remaining()).isEqualTo(50);
    assertThat(o.resetAfter()).contains(Duration.ofSeconds(30));
    RateLimitHeaders bad = parse("RateLimit: limit=100, remaining=-1, reset=30");
    assertThat(bad.observations()).isEmpty();
    assertThat(bad.ignored()).extracting(Ignored::message).containsExactly(
        "ratelimit = 'limit=100, remaining=-1, reset=30' ignored: remaining=-1 is not a whole number, 0 or more");
  }

  @Test
  void ietfStructuredPolicies() {
    RateLimitHeaders h = parse("RateLimit: \"default\";r=50;t=30", "RateLimit-Policy: \"default\";q=100;w=60");
    QuotaObservation o = only(h, LimitKind.REQUESTS);
    assertThat(o.limit()).hasValue(100);
    assertThat(o.remaining()).isEqualTo(50);
    assertThat(o.resetAfter()).contains(Duration.ofSeconds(30));
    assertThat(o.source()).isEqualTo("ratelimit \"default\"");
    assertThat(h.ignored()).isEmpty();
    // Draft -07: tokens for names, l= for the quota.
    o = only(parse("RateLimit: default;r=50;t=5", "RateLimit-Policy: default;l=100;w=10"), LimitKind.REQUESTS);
    assertThat(o.limit()).hasValue(100);
    assertThat(o.resetAfter()).contains(Duration.ofSeconds(5));
    // Without its policy: no limit.
    o = only(parse("RateLimit: default;r=0;t=5"), LimitKind.REQUESTS);
    assertThat(o.limit()).isEmpty();
    assertThat(o.remaining()).isZero();
  }

  @Test
  void ietfTheMostConstrainingOfSeveralPolicies() {
    RateLimitHeaders h = parse(
        "RateLimit: \"burst\";r=5;t=10, \"daily\";r=900;t=3600",
        "RateLimit-Policy: \"burst\";q=100;w=60, \"daily\";q=1000;w=86400");
    QuotaObservation o = only(h, LimitKind.REQUESTS);
    assertThat(o.source()).isEqualTo("ratelimit \"burst\"");
    assertThat(o.limit()).hasValue(100);
    // Both empty: the longer wait.
    h = parse("RateLimit: \"burst\";r=0;t=10, \"daily\";r=0;t=3600",
        "RateLimit-Policy: \"burst\";q=100;w=60, \"daily\";q=1000;w=86400");
    assertThat(only(h, LimitKind.REQUESTS).resetAfter()).contains(Duration.ofHours(1));
    assertThat(only(h, LimitKind.REQUESTS).limit()).hasValue(1000);
  }

  @Test
  void ietfQuotaUnits() {
    RateLimitHeaders h = parse(
        "RateLimit: \"bytes\";r=0;t=100, \"calls\";r=7;t=1, \"llm\";r=2000;t=60",
        "RateLimit-Policy: \"bytes\";q=1000000;qu=\"content-bytes\";w=3600, \"calls\";q=10;w=1, "
            + "\"llm\";q=100000;qu=\"tokens\";w=60");
    assertThat(h.observations()).extracting(QuotaObservation::kind, QuotaObservation::remaining)
        .containsExactly(tuple(LimitKind.REQUESTS, 7L), tuple(LimitKind.TOKENS, 2000L));
  }

  @Test
  void ietfMalformedStructuredFields() {
    RateLimitHeaders h = parse("RateLimit: \"default;r=50", "RateLimit-Policy: \"default\";q=100");
    assertThat(h.observations()).isEmpty();
    assertThat(h.ignored()).extracting(Ignored::name, Ignored::value)
        .containsExactly(tuple("ratelimit", "\"default;r=50"));
    h = parse("RateLimit: \"a\";t=3, \"b\";r=4;t=later", "RateLimit-Policy: \"a\";q=x, ,");
    assertThat(h.observations()).extracting(QuotaObservation::remaining).containsExactly(4L);
    assertThat(only(h, LimitKind.REQUESTS).resetAfter()).isEmpty();
    assertThat(h.ignored()).extracting(Ignored::message).containsExactlyInAnyOrder(
        "ratelimit = '\"a\";t=3, \"b\";r=4;t=later' ignored: policy \"a\" has no r=; "
            + "expected r= a whole number, 0 or more",
        "ratelimit = '\"a\";t=3, \"b\";r=4;t=later' ignored: t=later of policy \"b\" is not a number of seconds",
        "ratelimit-policy = '\"a\";q=x, ,' ignored: expected \"policy\";q=quota;w=seconds members separated by commas");
  }

  @Test
  void twoDialectsAtOnceTheMostConstrainingWins() {
    RateLimitHeaders h = parse("x-ratelimit-remaining-requests: 40", "x-ratelimit-reset-requests: 1s",
        "RateLimit: \"default\";r=3;t=20");
    assertThat(only(h, LimitKind.REQUESTS).remaining()).isEqualTo(3);
  }

  @Test
  void noHeadersNothingObserved() {
    RateLimitHeaders h = parse("content-type: application/json");
    assertThat(h.observations()).isEmpty();
    assertThat(h.ignored()).isEmpty();
  }

  @Test
  void neverThrows() {
    RateLimitHeaders h = RateLimitHeaders.parse(name -> {
      throw new IllegalStateException("a broken header map");
    }, NOW);
    assertThat(h.observations()).isEmpty();
    String[] names = {"x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
        "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", "anthropic-ratelimit-tokens-remaining",
        "anthropic-ratelimit-tokens-reset", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
        "x-ratelimit-used", "ratelimit", "ratelimit-policy", "ratelimit-limit", "ratelimit-remaining",
        "ratelimit-reset"};
    String alphabet = "0123456789.;,=\"\\ -+:TZhms\u00b5\uff15rtqwlimt";
    Random random = new Random(42);
    for (int round = 0; round < 20_000; round++) {
      Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (String name : names) {
        if (random.nextBoolean()) {
          StringBuilder v = new StringBuilder();
          for (int i = random.nextInt(24); i > 0; i--) {
            v.append(alphabet.charAt(random.nextInt(alphabet.length())));
          }
          map.put(name, v.toString());
        }
      }
      RateLimitHeaders parsed = RateLimitHeaders.parse(map::get, NOW);
      for (QuotaObservation o : parsed.observations()) {
        assertThat(o.remaining()).isNotNegative();
        o.resetAfter().ifPresent(d -> assertThat(d).isBetween(Duration.ZERO, RateLimitHeaders.MAX_RESET));
      }
    }
  }
}
