package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.testing.FreePort;
import dev.ratequeue.testing.RedisServerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every mistake an operator can make on the command line ends the same way: one line on standard error
 * naming the argument, the value and what was expected, a documented exit code, no stack trace, no password.
 * Each runs the real {@code java -jar ratequeue-agent.jar} as a process.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CommandLineErrorsTest {
  private static final String NAMESPACE = "it-cli-errors";
  private static final String SECRET = "S3cret-Pa55-Xq7";
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  private static Coordinator worker;

  @BeforeAll
  static void seedOneResource() throws InterruptedException {
    worker = Coordinator.create(redis.uri(), CoordinatorOptions.builder().namespace(NAMESPACE).build());
    worker.limiter(ResourceLimits.builder("known").requests(10, Duration.ofSeconds(1)).build()).acquire().close();
  }

  @AfterAll
  static void stop() {
    worker.close();
  }

  private static AgentCli.Result cli(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--coordinator";
    all[args.length + 1] = redis.uri();
    all[args.length + 2] = "--namespace";
    all[args.length + 3] = NAMESPACE;
    return AgentCli.run(all);
  }

  private static void assertOneLine(AgentCli.Result r, int exitCode, String... contains) {
    assertThat(r.exitCode).as("%s", r).isEqualTo(exitCode);
    assertThat(r.errLines()).as("%s", r).hasSize(1);
    assertThat(r.errLines().get(0)).as("%s", r).startsWith("ratequeue: ").contains(contains)
        .doesNotContain("Exception", "\tat ", SECRET);
    assertThat(r.out).as("nothing on standard output: %s", r).isEmpty();
  }

  @Test
  void anUnknownCommand() {
    assertOneLine(cli("stauts"), 2, "command", "'stauts'", "one of status, set, pause, resume, clients, top");
  }

  @Test
  void anUnknownOption() {
    assertOneLine(cli("status", "--jsno"), 2, "option", "'--jsno'");
  }

  @Test
  void anUnknownResource() {
    assertOneLine(cli("pause", "nope", "1m"), 4, "'nope'", "Unknown resource");
    assertOneLine(cli("resume", "nope"), 4, "'nope'");
    assertOneLine(cli("set", "nope", "requests=1/s"), 4, "'nope'");
  }

  @Test
  void aMalformedResourceName() {
    assertOneLine(cli("resume", "Not A Name"), 2, "<resource>", "'Not A Name'");
  }

  @Test
  void aMalformedRateDurationOrKey() {
    assertOneLine(cli("set", "known", "requests=10/mn"), 2, "'requests'", "'10/mn'", "N/period");
    assertOneLine(cli("set", "known", "concurrency=-1"), 2, "'concurrency'", "'-1'");
    assertOneLine(cli("set", "known", "requests"), 2, "'requests'", "key=value");
    assertOneLine(cli("set", "known", "colour=blue"), 2, "'colour'", "one of requests, load");
    assertOneLine(cli("pause", "known", "soon"), 2, "'<duration>'", "'soon'", "a duration");
    assertOneLine(cli("pause", "known", "0"), 2, "'<duration>'", "> 0");
    assertOneLine(cli("pause", "known"), 2, "pause needs a duration");
    assertOneLine(cli("top", "--iterations", "none"), 2, "--iterations", "'none'");
  }

  @Test
  void anUnreachableCoordinatorFailsFastWithoutItsPassword() {
    String url = "redis://ops:" + SECRET + "@127.0.0.1:" + FreePort.find();
    AgentCli.Result r = AgentCli.run("status", "--coordinator", url);
    assertOneLine(r, 3, "unreachable", "redis://ops:***@127.0.0.1:");
    // A JVM start and the command timeout (2 s), on a busy machine: far below Lettuce's own patience.
    assertThat(r.took).as("%s", r).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aMalformedUrlIsNamedWithoutItsPassword() {
    assertOneLine(AgentCli.run("status", "--coordinator", "redis://ops:" + SECRET + "@host:port"), 2,
        "--coordinator", "redis://ops:***@host:port");
    // The same from the environment, as the agent reads it.
    assertOneLine(AgentCli.run(Map.of("RATEQUEUE_COORDINATOR", "rediss//ops:" + SECRET + "@host"), "status"), 2,
        "ratequeue.coordinator", "environment variable RATEQUEUE_COORDINATOR");
  }

  @Test
  void theLocalCoordinatorHasNoFleet() {
    assertOneLine(AgentCli.run("status"), 2, "'local'", "ratequeue.coordinator");
  }

  @Test
  void aConfigurationFileIsReadLikeTheAgentReadsIt() throws IOException {
    Path file = Files.createTempFile("ratequeue-cli-", ".properties");
    try {
      Files.writeString(file, "ratequeue.coordinator = " + redis.uri() + "\nratequeue.namespace = " + NAMESPACE
          + "\n", StandardCharsets.UTF_8);
      AgentCli.Result r = AgentCli.run("status", "--config", file.toString());
      assertThat(r.exitCode).as("%s", r).isZero();
      assertThat(r.out).contains("known", "10/1s");
      assertOneLine(AgentCli.run("status", "--config", file + ".missing"), 2, "ratequeue.configuration-file",
          "does not exist");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void helpGoesToStandardOutputAndSucceeds() {
    AgentCli.Result general = AgentCli.run("--help");
    assertThat(general.exitCode).isZero();
    assertThat(general.out).contains("status", "set", "pause", "resume", "clients", "top", "Exit codes");
    AgentCli.Result set = AgentCli.run("set", "--help");
    assertThat(set.exitCode).isZero();
    assertThat(set.out).contains("Usage: set <resource> key=value", "--reset");
    assertThat(set.err).isEmpty();
  }
}
