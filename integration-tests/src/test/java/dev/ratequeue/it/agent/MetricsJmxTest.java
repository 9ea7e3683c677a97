package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker JVM under load, read from outside as an operator would with jconsole: the test attaches to the
 * worker's platform MBean server and checks that the agent's MBeans tell what the upstream saw. The resource
 * allows twice what the upstream does, so the worker queues (8 threads against 20/s), the upstream refuses
 * some calls with 429 and Retry-After, and each refusal pauses the resource.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MetricsJmxTest {
  private static final long RUN_MILLIS = 6_000;
  private static final String RESOURCE = "upstream";
  private static final String BEAN = "dev.ratequeue:type=Resource,name=" + RESOURCE;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void theMBeansCountWhatTheUpstreamSaw() throws Exception {
    try (StrictUpstream upstream = StrictUpstream.builder().requests(10, Duration.ofSeconds(1)).retryAfter("1").start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "coordinator", redis.uri(),
            "namespace", "it-metrics-jmx-" + System.nanoTime(),
            "resources." + RESOURCE + ".match", upstream.hostAndPort(),
            "resources." + RESOURCE + ".requests", "20/1s",
            "resources." + RESOURCE + ".max-wait", "30s"))) {
      java.nio.file.Path linger = workers.configFile().resolveSibling("linger");
      WorkerJvm worker = workers.start("metrics-jmx", ClientLib.OKHTTP_4, "client=okhttp", "mode=sync", "threads=8",
          "url=" + upstream.uri("/ok"), "runMillis=" + RUN_MILLIS, "worker=1", "warmup=" + upstream.uri("/ok?tag=warmup"),
          "linger=" + linger);
      workers.awaitReady();
      try (WorkerJmx jmx = WorkerJmx.attach(worker.pid())) {
        // The warm-up call used the resource: the MBeans are there before the run starts.
        long registeredBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // registered off the caller's thread
        while (!jmx.registered(BEAN) && System.nanoTime() < registeredBy) {
          Thread.sleep(20);
        }
        assertThat(jmx.registered(BEAN)).as("%s registered after the first call", BEAN).isTrue();
        assertThat(jmx.attribute("dev.ratequeue:type=Agent", "Resources")).isEqualTo(new String[] {RESOURCE});
        assertThat((String) jmx.attribute("dev.ratequeue:type=Agent", "Version")).isNotBlank();
        long grantedBefore = jmx.resourceLong(RESOURCE, "Granted");
        assertThat(grantedBefore).as("the warm-up call's permit").isEqualTo(1);
        workers.go();

        // 8 threads share 20 grants a second: most of them wait at any moment. Sampled until seen, within the run.
        long maxWaiting = 0;
        long maxInFlight = 0;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS - 1_000);
        while (System.nanoTime() < until && (maxWaiting == 0 || maxInFlight == 0)) {
          maxWaiting = Math.max(maxWaiting, jmx.resourceLong(RESOURCE, "Waiting"));
          maxInFlight = Math.max(maxInFlight, jmx.resourceLong(RESOURCE, "InFlight"));
          Thread.sleep(20);
        }
        assertThat(maxWaiting).as("calls waiting while the worker runs").isPositive();
        assertThat(maxInFlight).as("permits in flight while the worker runs").isPositive();
        long grantedMidway = jmx.resourceLong(RESOURCE, "Granted");
        assertThat(grantedMidway).as("granted grows while the worker runs").isGreaterThan(grantedBefore);

        WorkerResult done = WorkerResult.parse(worker.name(),
            worker.awaitLine(l -> l.startsWith("DONE"), Duration.ofMillis(RUN_MILLIS).plusSeconds(60)),
            worker.outputLines());
        List<StrictUpstream.Arrival> arrivals = upstream.arrivals();
        long refused = upstream.count(429);
        assertThat(refused).as("the upstream refused calls (the resource allows twice its limit)").isPositive();

        // Every request on the wire took exactly one permit: the upstream heard as many as were granted.
        assertThat(jmx.resourceLong(RESOURCE, "Granted")).isEqualTo(arrivals.size());
        assertThat(jmx.resourceLong(RESOURCE, "UpstreamRefusals")).isEqualTo(refused).isEqualTo(done.refused);
        long pauses = jmx.resourceLong(RESOURCE, "Pauses");
        assertThat(pauses).as("pauses: one per burst of 429s, at least one").isBetween(1L, refused);
        assertThat(jmx.resourceLong(RESOURCE, "Waiting")).isZero();
        assertThat(jmx.resourceLong(RESOURCE, "InFlight")).as("every response was read to its end").isZero();
        assertThat(jmx.resourceLong(RESOURCE, "Rejected")).isZero();
        // Calls waited for their turn, pauses of a second included: the slowest wait is at least a good part
        // of one pause (a few hundred ms of margin for when in the pause a call came).
        double p50 = jmx.resourceDouble(RESOURCE, "WaitP50Millis");
        double p99 = jmx.resourceDouble(RESOURCE, "WaitP99Millis");
        double max = jmx.resourceDouble(RESOURCE, "WaitMaxMillis");
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(jmx.resourceDouble(RESOURCE, "WaitP999Millis")).isBetween(p99, max * 1.01);
        assertThat(max).isGreaterThan(500);
        assertThat(jmx.resourceString(RESOURCE, "CoordinatorState")).isEqualTo("connected");
        assertThat(jmx.resourceString(RESOURCE, "Coordinator")).isEqualTo(redis.uri());
        assertThat(jmx.resourceString(RESOURCE, "RequestsLimit")).isEqualTo("20/1s");
        assertThat(jmx.resourceLong(RESOURCE, "MaxWaitMillis")).isEqualTo(30_000);
        assertThat(Arrays.asList((String[]) jmx.attribute("dev.ratequeue:type=Agent", "Coordinators")))
            .containsExactly(redis.uri());
      } finally {
        Files.createFile(linger);
      }
      assertThat(worker.awaitExit(Duration.ofSeconds(30))).isZero();
      // One line per pause started and per pause ended, never one per call.
      long pauseLines = worker.errorLines().stream().filter(l -> l.contains("every worker pauses for")).count();
      assertThat(pauseLines).isPositive().isLessThanOrEqualTo(upstream.count(429));
      assertThat(worker.errorLines().stream().filter(l -> l.contains("has ended; calls are granted again")).count())
          .isPositive().isLessThanOrEqualTo(pauseLines);
    }
  }
}
