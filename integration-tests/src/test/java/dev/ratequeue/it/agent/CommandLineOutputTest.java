package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.ResourceLimiter;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.testing.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the commands print for a small fleet (this JVM, as one client of two resources): a status table that fits
 * a terminal, the clients, top's redraws, and set / set --reset with the limits before and after.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CommandLineOutputTest {
  private static final String NAMESPACE = "it-cli-output";
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  private static Coordinator worker;
  private static Permit held;

  @BeforeAll
  static void aSmallFleet() throws InterruptedException {
    worker = Coordinator.create(redis.uri(), CoordinatorOptions.builder().namespace(NAMESPACE)
        .clientVersion("ratequeue-agent test").build());
    ResourceLimiter openai = worker.limiter(ResourceLimits.builder("openai").requests(450, Duration.ofMinutes(1))
        .load(30_000, Duration.ofMinutes(1)).concurrency(20).build());
    held = openai.acquire(1_200, 0);
    worker.limiter(ResourceLimits.builder("github").requests(4500, Duration.ofHours(1)).burst(10).build())
        .acquire().close();
  }

  @AfterAll
  static void stop() {
    held.close();
    worker.close();
  }

  private static AgentCli.Result cli(String... command) {
    String[] args = new String[command.length + 4];
    System.arraycopy(command, 0, args, 0, command.length);
    System.arraycopy(new String[] {"--coordinator", redis.uri(), "--namespace", NAMESPACE}, 0, args, command.length,
        4);
    AgentCli.Result r = AgentCli.run(args);
    assertThat(r.exitCode).as("%s", r).isZero();
    assertThat(r.err).as("%s", r).isEmpty();
    return r;
  }

  @Test
  void statusIsATableThatFitsATerminal() {
    String out = cli("status").out;
    assertThat(out).contains("RESOURCE", "REQUESTS", "IN FLIGHT", "GRANT/S", "UTIL", "PAUSED", "JVMS");
    assertThat(out).containsPattern("github +4500/1h\\+10 ");
    assertThat(out).containsPattern("openai +450/1m +30000/1m +1/20 ");
    assertThat(out.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
    assertThat(out).contains("live JVMs 1");
  }

  @Test
  void clientsListsThisJvm() throws Exception {
    String out = cli("clients").out;
    assertThat(out).contains(Long.toString(ProcessHandle.current().pid()), "ratequeue-agent test", "github,openai");
    JsonNode json = new ObjectMapper().readTree(cli("clients", "--json").out);
    JsonNode me = json.get("clients").get(0);
    assertThat(me.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(me.get("resources")).hasSize(2);
  }

  @Test
  void topRedrawsUntilItsIterationsAreDone() {
    AgentCli.Result r = cli("top", "--iterations", "3", "--interval", "200ms");
    assertThat(r.out.split("\033\\[H\033\\[2J", -1)).as("three screens").hasSize(4);
    assertThat(r.out).contains("openai", "q or Ctrl-C to quit");
  }

  @Test
  void setChangesOneKeyLiveAndResetHandsBackToConfiguration() throws Exception {
    AgentCli.Result set = cli("set", "github", "requests=3000/1h", "max-wait=30s");
    assertThat(set.out).contains("github: limits set live", "was: requests=4500/1h burst=10",
        "now: requests=3000/1h burst=10", "max-wait=30s");
    assertThat(cli("status").out).contains("github*", "3000/1h", "limits set live");

    JsonNode reset = new ObjectMapper().readTree(cli("set", "github", "--reset", "--json").out);
    assertThat(reset.get("action").asText()).isEqualTo("reset");
    // This JVM seeds its own configuration again on its next call.
    worker.limiter(ResourceLimits.builder("github").requests(4500, Duration.ofHours(1)).burst(10).build())
        .acquire().close();
    JsonNode status = new ObjectMapper().readTree(cli("status", "--json").out);
    JsonNode github = status.get("resources").get(0);
    assertThat(github.get("name").asText()).isEqualTo("github");
    assertThat(github.get("origin").asText()).isEqualTo("configuration");
    assertThat(github.get("limits").get("requests").asText()).isEqualTo("4500/1h");
    assertThat(github.get("limits").get("maxWait").asText()).isEqualTo("2m");
  }
}
