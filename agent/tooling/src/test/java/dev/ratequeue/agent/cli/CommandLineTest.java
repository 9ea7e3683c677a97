package dev.ratequeue.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The command line's answers that need no coordinator (usage errors are found before connecting);
 * the rest runs the real jar against a real Redis in integration-tests ({@code CommandLineErrorsTest}).
 */
class CommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> environment, String... args) {
    return CommandLine.run(args, environment, new Properties(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void usageErrorsAreOneLineAndExitTwo() {
    assertThat(run("set", "openai", "requests=10/mn", "--coordinator", "redis://127.0.0.1:1")).isEqualTo(2);
    assertThat(err()).isEqualTo("ratequeue: Invalid value for 'requests': '10/mn'; expected N/period with N > 0 and "
        + "a period of a number and a unit (ms, s or sec, m or min, h), e.g. 500/1m or 10/s\n");
  }

  @Test
  void optionsMayComeAnywhereAndNeedTheirValue() {
    assertThat(run("--coordinator")).isEqualTo(2);
    assertThat(err()).isEqualTo("ratequeue: Option --coordinator needs a value, e.g. --coordinator redis://redis:6379\n");
  }

  @Test
  void theConfigurationIsTheAgentsAndItsErrorsAreNamedWithTheirOrigin() {
    assertThat(run(Map.of("RATEQUEUE_NAMESPACE", "bad namespace!"), "status")).isEqualTo(2);
    assertThat(err()).startsWith("ratequeue: Invalid value for 'ratequeue.namespace': 'bad namespace!'")
        .contains("environment variable RATEQUEUE_NAMESPACE").endsWith("\n").doesNotContain("\n\n");
  }

  @Test
  void aPasswordIsNeverPrinted() {
    assertThat(run(Map.of("RATEQUEUE_COORDINATOR", "redis://ops:S3cret@host:notaport"), "status")).isEqualTo(2);
    assertThat(err()).contains("redis://ops:***@host:notaport").doesNotContain("S3cret");
  }

  @Test
  void theLocalCoordinatorSaysThereIsNoFleet() {
    assertThat(run("clients")).isEqualTo(2);
    assertThat(err()).contains("'local'", "nothing is shared");
  }

  @Test
  void helpNeedsNoCoordinator() {
    assertThat(run("pause", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: pause <resource> <duration>");
    assertThat(run()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Commands:", "Exit codes");
    assertThat(err()).isEmpty();
  }
}
