package dev.ratequeue.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratequeue.coordination.ConfigurationException;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private static RouteTable<String> table(String... resourceAndPatterns) {
    RouteTable.Builder<String> b = RouteTable.builder();
    for (int i = 0; i < resourceAndPatterns.length; i += 2) {
      String resource = resourceAndPatterns[i];
      for (String p : resourceAndPatterns[i + 1].split(",")) {
        b.add("ratequeue.resources." + resource + ".match", MatchPattern.parse("k", p), resource, resource);
      }
    }
    return b.build();
  }

  @Test
  void anUnmappedHostMatchesNothing() {
    RouteTable<String> t = table("openai", "api.openai.com");
    assertThat(t.lookup("example.com", 443, "/")).isNull();
    assertThat(t.lookup("api.openai.com.evil.com", 443, "/")).isNull();
  }

  @Test
  void theMostSpecificPatternWins() {
    RouteTable<String> t = table(
        "any-azure", "*.azure.com",
        "openai-azure", "*.openai.azure.com",
        "east", "east.openai.azure.com",
        "east-v2", "east.openai.azure.com/v2",
        "east-8443", "east.openai.azure.com:8443");
    assertThat(t.lookup("west.blob.azure.com", 443, "/")).isEqualTo("any-azure");
    assertThat(t.lookup("west.openai.azure.com", 443, "/")).isEqualTo("openai-azure");
    assertThat(t.lookup("a.b.openai.azure.com", 443, "/x")).isEqualTo("openai-azure");
    assertThat(t.lookup("east.openai.azure.com", 443, "/v1/chat")).isEqualTo("east");
    assertThat(t.lookup("east.openai.azure.com", 443, "/v2/chat")).isEqualTo("east-v2");
    assertThat(t.lookup("east.openai.azure.com", 8443, "/v1")).isEqualTo("east-8443");
    // A port beats no port; a path beats no path, among patterns for the same host.
    assertThat(t.lookup("east.openai.azure.com", 8443, "/v2")).isEqualTo("east-8443");
  }

  @Test
  void manyWildcardsAreLookedUpBySuffixWithTheSameAnswers() {
    String[] spec = new String[2 * (RouteTable.SCANNED_WILDCARDS + 4)];
    for (int i = 0; i < spec.length / 2; i++) {
      spec[2 * i] = "r" + i;
      spec[2 * i + 1] = i == 0 ? "*.example.com" : "*.p" + i + ".example.com";
    }
    RouteTable<String> t = table(spec);
    assertThat(t.lookup("a.p3.example.com", 443, "/")).isEqualTo("r3");
    assertThat(t.lookup("x.y.p3.example.com", 443, "/")).isEqualTo("r3");
    assertThat(t.lookup("p3.example.com", 443, "/")).as("falls to the wider wildcard").isEqualTo("r0");
    assertThat(t.lookup("example.com", 443, "/")).isNull();
    assertThat(t.lookup("objects.storage.example.net", 443, "/")).isNull();
  }

  @Test
  void aWildcardDoesNotMatchItsOwnDomain() {
    RouteTable<String> t = table("sub", "*.example.com");
    assertThat(t.lookup("example.com", 80, "/")).isNull();
    assertThat(t.lookup("www.example.com", 80, "/")).isEqualTo("sub");
    assertThat(t.lookup("badexample.com", 80, "/")).isNull();
  }

  @Test
  void aPathPrefixMatchesWholeSegments() {
    RouteTable<String> t = table("v1", "10.0.0.5:8080/v1/");
    assertThat(t.lookup("10.0.0.5", 8080, "/v1")).isEqualTo("v1");
    assertThat(t.lookup("10.0.0.5", 8080, "/v1/chat/completions")).isEqualTo("v1");
    assertThat(t.lookup("10.0.0.5", 8080, "/v1beta")).isNull();
    assertThat(t.lookup("10.0.0.5", 8081, "/v1")).isNull();
  }

  @Test
  void ipv6HostsAndSchemesAndCaseAreNormalised() {
    RouteTable<String> t = table("local6", "[::1]:8080", "api", "https://API.Example.com/");
    assertThat(t.lookup("::1", 8080, "/")).isEqualTo("local6");
    assertThat(t.lookup("api.example.com", 443, "/anything")).isEqualTo("api");
  }

  @Test
  void twoResourcesClaimingTheSamePatternIsAnErrorNamingBoth() {
    assertThatThrownBy(() -> table("a", "api.example.com", "b", "API.example.com"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'ratequeue.resources.b.match'").hasMessageContaining("resource 'a'");
  }

  @Test
  void malformedPatternsNameTheKeyAndTheValue() {
    for (String bad : new String[] {"", "api example.com", "*.", "host:99999", "a..b", "*foo.com", "h:port"}) {
      assertThatThrownBy(() -> MatchPattern.parse("ratequeue.resources.x.match", bad)).as(bad)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("'ratequeue.resources.x.match'").hasMessageContaining("'" + bad + "'");
    }
  }
}
