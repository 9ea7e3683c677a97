package dev.ratequeue.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigurationTest {
  @TempDir
  Path dir;

  private Path file(String... lines) throws IOException {
    Path f = dir.resolve("ratequeue.properties");
    Files.write(f, java.util.Arrays.asList(lines));
    return f;
  }

  @Test
  void aSystemPropertyBeatsTheEnvironmentWhichBeatsTheFile() throws IOException {
    Path f = file("ratequeue.resources.api.requests = 10/1s", "ratequeue.resources.api.concurrency = 3",
        "ratequeue.resources.api.max-wait = 5s");
    Map<String, String> env = new HashMap<>();
    env.put("RATEQUEUE_RESOURCES_API_REQUESTS", "20/1s");
    env.put("RATEQUEUE_RESOURCES_API_CONCURRENCY", "4");
    Properties sys = new Properties();
    sys.setProperty("ratequeue.resources.api.requests", "30/1s");
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration c = AgentConfiguration.load(f.toString(), env, sys, problems);
    assertThat(problems.errors()).isEmpty();
    ResourceConfiguration api = c.resources().get("api");
    assertThat(api.limits().requests().get().count()).isEqualTo(30);
    assertThat(api.limits().concurrency()).isEqualTo(4);
    assertThat(api.limits().maxWait()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.settings().origin("ratequeue.resources.api.requests")).contains("system property");
    assertThat(c.settings().origin("ratequeue.resources.api.concurrency"))
        .isEqualTo("environment variable RATEQUEUE_RESOURCES_API_CONCURRENCY");
  }

  @Test
  void theFileCanBeNamedByASystemPropertyOrTheEnvironmentInsteadOfTheAgentArgument() throws IOException {
    Path f = file("ratequeue.resources.api.requests = 10/1s");
    Properties sys = new Properties();
    sys.setProperty("ratequeue.configuration-file", f.toString());
    AgentConfiguration c = AgentConfiguration.load("/does/not/exist", new HashMap<>(), sys, new ConfigurationProblems());
    assertThat(c.resources()).containsKey("api");
    Map<String, String> env = new HashMap<>();
    env.put("RATEQUEUE_CONFIGURATION_FILE", f.toString());
    c = AgentConfiguration.load(null, env, new Properties(), new ConfigurationProblems());
    assertThat(c.resources()).containsKey("api");
  }

  @Test
  void anEnvironmentVariableReachesAResourceWhoseNameHasDashesOrDefinesANewOne() throws IOException {
    Path f = file("ratequeue.resources.partner-api.match = partner.example.com");
    Map<String, String> env = new HashMap<>();
    env.put("RATEQUEUE_RESOURCES_PARTNER_API_REQUESTS", "5/1s");
    env.put("RATEQUEUE_RESOURCES_GITHUB_MATCH", "api.github.com");
    env.put("RATEQUEUE_RESOURCES_GITHUB_REQUESTS", "5000/1h");
    env.put("RATEQUEUE_RESOURCES_GITHUB_LOAD_BURST", "10");
    env.put("RATEQUEUE_COORDINATOR", "redis://redis:6379");
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration c = AgentConfiguration.load(f.toString(), env, new Properties(), problems);
    assertThat(problems.errors()).isEmpty();
    assertThat(c.resources()).containsOnlyKeys("partner-api", "github");
    assertThat(c.resources().get("partner-api").limits().requests().get().count()).isEqualTo(5);
    assertThat(c.resources().get("github").limits().loadBurst()).isEqualTo(10);
    assertThat(c.resources().get("github").coordinator()).isEqualTo("redis://redis:6379");
  }

  @Test
  void everyProblemIsReportedAtOnceWithKeyValueAndExpectation() throws IOException {
    Path f = file("ratequeue.coordinator = redis//localhost:6379",
        "ratequeue.resources.openai.requests = 500/mn",
        "ratequeue.resources.openai.match = api.openai.com, bad host",
        "ratequeue.resources.OpenAI.requests = 10/s",
        "ratequeue.resources.x.concurrency = -1",
        "ratequeue.resources.x.retry-after-default = soon",
        "ratequeue.resources.x.colour = blue",
        "ratequeue.cordinator = typo",
        "other.key = 1");
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration.load(f.toString(), new HashMap<>(), new Properties(), problems);
    assertThat(problems.errors()).hasSize(9);
    assertThat(problems.errors()).anyMatch(e -> e.startsWith("Invalid value for 'ratequeue.coordinator': 'redis//localhost:6379'"));
    assertThat(problems.errors()).anyMatch(e -> e.startsWith("Invalid value for 'ratequeue.resources.openai.requests': '500/mn'"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'ratequeue.resources.openai.match': 'bad host'"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'OpenAI'"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'ratequeue.resources.x.concurrency': '-1'"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'ratequeue.resources.x.retry-after-default': 'soon'"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'ratequeue.resources.x.colour': 'blue'"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'ratequeue.cordinator': 'typo'"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'other.key'"));
    assertThat(problems.errors()).allMatch(e -> e.contains("(set by file " + f + ")"));
  }

  @Test
  void passwordsInUrlsNeverAppearInMessages() throws IOException {
    Path f = file("ratequeue.coordinator = redis//alice:s3cr3t@redis:6379");
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration.load(f.toString(), new HashMap<>(), new Properties(), problems);
    assertThat(problems.errors()).hasSize(1);
    assertThat(problems.errors().get(0)).doesNotContain("s3cr3t");
  }

  @Test
  void eachResourceMayHaveItsOwnCoordinator() throws IOException {
    Path f = file("ratequeue.coordinator = redis://redis-us:6379",
        "ratequeue.resources.us.requests = 1/1s",
        "ratequeue.resources.eu.requests = 1/1s",
        "ratequeue.resources.eu.coordinator = redis://redis-eu:6379");
    AgentConfiguration c = AgentConfiguration.load(f.toString(), new HashMap<>(), new Properties(),
        new ConfigurationProblems());
    assertThat(c.resources().get("us").coordinator()).isEqualTo("redis://redis-us:6379");
    assertThat(c.resources().get("eu").coordinator()).isEqualTo("redis://redis-eu:6379");
  }

  @Test
  void defaultsAndSwitches() throws IOException {
    Path f = file("ratequeue.resources.api.match = api.example.com",
        "ratequeue.interceptors.okhttp.enabled = false");
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration c = AgentConfiguration.load(f.toString(), new HashMap<>(), new Properties(), problems);
    assertThat(c.enabled()).isTrue();
    assertThat(c.coordinator()).isEqualTo("local");
    assertThat(c.interceptorEnabled("okhttp", problems)).isFalse();
    assertThat(c.interceptorEnabled("java-http-client", problems)).isTrue();
    ResourceConfiguration api = c.resources().get("api");
    assertThat(api.retryAfterDefault()).isEqualTo(Duration.ofSeconds(1));
    assertThat(api.retryAfterMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(api.limits().requests()).isEmpty();
  }

  @Test
  void aMissingFileIsAProblemNamingIt() {
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration.load("/no/such/ratequeue.properties", new HashMap<>(), new Properties(), problems);
    assertThat(problems.errors()).singleElement().asString()
        .contains("'ratequeue.configuration-file': '/no/such/ratequeue.properties'").contains("does not exist");
  }

  @Test
  void theLoadEstimatorAndReconcileAreReadPerResource() throws IOException {
    Path f = file("ratequeue.resources.a.match = a.example.com",
        "ratequeue.resources.b.load-estimator = 250",
        "ratequeue.resources.b.reconcile = false",
        "ratequeue.resources.c.load-estimator = header:X-Token-Budget",
        "ratequeue.resources.d.load-estimator = OpenAI");
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration c = AgentConfiguration.load(f.toString(), new HashMap<>(), new Properties(), problems);
    assertThat(problems.errors()).isEmpty();
    assertThat(c.resources().get("a").loadEstimator()).isSameAs(LoadEstimator.OPENAI);
    assertThat(c.resources().get("a").reconcile()).isTrue();
    assertThat(c.resources().get("b").loadEstimator().kind()).isEqualTo(LoadEstimator.Kind.CONSTANT);
    assertThat(c.resources().get("b").loadEstimator().constant()).isEqualTo(250);
    assertThat(c.resources().get("b").reconcile()).isFalse();
    assertThat(c.resources().get("c").loadEstimator().header()).isEqualTo("X-Token-Budget");
    assertThat(c.resources().get("d").loadEstimator()).isSameAs(LoadEstimator.OPENAI);
  }

  @Test
  void aBadLoadEstimatorOrReconcileNamesTheKeyTheValueAndWhatIsAccepted() throws IOException {
    Path f = file("ratequeue.resources.a.load-estimator = tiktoken",
        "ratequeue.resources.b.load-estimator = header:",
        "ratequeue.resources.c.load-estimator = -5",
        "ratequeue.resources.d.reconcile = sometimes");
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration.load(f.toString(), new HashMap<>(), new Properties(), problems);
    assertThat(problems.errors()).hasSize(4);
    assertThat(problems.errors()).anyMatch(e -> e.contains("'ratequeue.resources.a.load-estimator': 'tiktoken'")
        && e.contains("openai") && e.contains("header:<Name>"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'ratequeue.resources.b.load-estimator': 'header:'"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'ratequeue.resources.c.load-estimator': '-5'"));
    assertThat(problems.errors()).anyMatch(e -> e.contains("'ratequeue.resources.d.reconcile': 'sometimes'")
        && e.contains("true"));
  }

  @Test
  void thePrometheusEndpointIsOffByDefaultAndOnLoopbackWhenAPortIsSet() throws IOException {
    AgentConfiguration off = AgentConfiguration.load(file("ratequeue.resources.api.requests = 10/1s").toString(),
        new HashMap<>(), new Properties(), new ConfigurationProblems());
    assertThat(off.metrics().prometheusPort()).isEmpty();
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration on = AgentConfiguration.load(file("ratequeue.metrics.prometheus.port = 9464").toString(),
        new HashMap<>(), new Properties(), problems);
    assertThat(problems.errors()).isEmpty();
    assertThat(on.metrics().prometheusPort()).hasValue(9464);
    assertThat(on.metrics().prometheusHost()).isEqualTo("127.0.0.1");
    Properties sys = new Properties();
    sys.setProperty("ratequeue.metrics.prometheus.host", "0.0.0.0");
    assertThat(AgentConfiguration.load(null, new HashMap<>(), sys, new ConfigurationProblems()).metrics()
        .prometheusHost()).isEqualTo("0.0.0.0");
  }

  @Test
  void aBadPrometheusPortOrHostNamesTheKeyTheValueAndWhatIsExpected() throws IOException {
    for (String port : new String[] {"metrics", "0", "70000", "-1"}) {
      ConfigurationProblems problems = new ConfigurationProblems();
      AgentConfiguration.load(file("ratequeue.metrics.prometheus.port = " + port).toString(), new HashMap<>(),
          new Properties(), problems);
      assertThat(problems.errors()).singleElement().asString()
          .contains("'ratequeue.metrics.prometheus.port'", "'" + port + "'", "a TCP port, a whole number from 1 to 65535");
    }
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration.load(file("ratequeue.metrics.prometheus.host = http://x/").toString(), new HashMap<>(),
        new Properties(), problems);
    assertThat(problems.errors()).singleElement().asString().contains("'ratequeue.metrics.prometheus.host'",
        "'http://x/'", "a host name or IP address");
  }
}
