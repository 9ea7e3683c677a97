package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ratequeue.testing.RedisServerExtension;
import dev.ratequeue.testing.StrictUpstream;
import dev.ratequeue.testing.WorkerJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator steers a running fleet from a shell: three worker JVMs with the agent keep a strict upstream at
 * the resource's limit; {@code set} halves the limit, {@code pause} stops every worker, {@code resume} starts
 * them again, and {@code status --json} shows the three JVMs and the limits. No JVM is restarted.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LiveLimitsCliTest {
  /** The upstream's own limit; the resource is set at 90% of it (see the README on strict providers). */
  private static final int UPSTREAM_LIMIT = 20;
  private static final int CONFIGURED = 18;
  private static final int HALF = 9;
  /** From the end of the set command: the new limit has to be what the upstream sees by then. */
  private static final Duration TAKES_EFFECT = Duration.ofSeconds(2);
  /**
   * After the pause command ends (the pause is in Redis by then): requests already granted within the
   * lookahead (50 ms) or on the wire may still arrive; on a busy machine, a starved worker sends late.
   */
  private static final long PAUSE_STRAGGLERS_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void setPauseAndResumeReachEveryRunningWorker() throws Exception {
    String namespace = "it-live-" + System.nanoTime();
    try (StrictUpstream upstream = StrictUpstream.builder().requests(UPSTREAM_LIMIT, Duration.ofSeconds(1)).start();
        AgentWorkers workers = new AgentWorkers(AgentWorkers.settings(
            "coordinator", redis.uri(),
            "namespace", namespace,
            "resources.upstream.match", upstream.hostAndPort(),
            "resources.upstream.requests", CONFIGURED + "/1s",
            // Calls wait out the pause in the queue rather than fail at once and retry in a loop.
            "resources.upstream.max-wait", "2h"))) {
      for (int i = 1; i <= 3; i++) {
        workers.start("live-" + i, ClientLib.OKHTTP_4, "client=okhttp", "mode=sync", "threads=3",
            "url=" + upstream.uri("/ok"), "runMillis=120000", "worker=" + i,
            "warmup=" + upstream.uri("/ok?tag=warmup"));
      }
      workers.awaitReady();
      workers.go();
      String[] target = {"--coordinator", redis.uri(), "--namespace", namespace};

      // status --json: the three JVMs and the limits they were started with.
      JsonNode status = json(cli(target, "status", "--json"));
      assertThat(status.get("liveClients").asInt()).isEqualTo(3);
      JsonNode resource = status.get("resources").get(0);
      assertThat(resource.get("name").asText()).isEqualTo("upstream");
      assertThat(resource.get("origin").asText()).isEqualTo("configuration");
      assertThat(resource.get("limits").get("requests").asText()).isEqualTo(CONFIGURED + "/1s");
      assertThat(resource.get("liveClients").asInt()).isEqualTo(3);
      JsonNode clients = json(cli(target, "clients", "--json")).get("clients");
      assertThat(clients).hasSize(3);
      List<Long> pids = new ArrayList<>();
      clients.forEach(c -> pids.add(c.get("pid").asLong()));
      assertThat(pids).containsExactlyInAnyOrderElementsOf(
          workers.workers().stream().map(WorkerJvm::pid).collect(Collectors.toList()));

      // At the configured rate for a few seconds, then halved live.
      Thread.sleep(4_000);
      AgentCli.Result set = cli(target, "set", "upstream", "requests=" + HALF + "/1s", "--json");
      long setAt = System.nanoTime();
      assertThat(json(set).get("resource").get("limits").get("requests").asText()).isEqualTo(HALF + "/1s");
      assertThat(json(set).get("resource").get("origin").asText()).isEqualTo("live");
      Thread.sleep(TAKES_EFFECT.toMillis() + 4_000);
      long measuredFrom = setAt + TAKES_EFFECT.toNanos();
      long measuredTo = System.nanoTime();
      List<Integer> perSecond = perSecond(upstream.arrivals(), measuredFrom, measuredTo);

      cli(target, "pause", "upstream", "1h");
      long pausedAt = System.nanoTime(); // after the command ended: the pause is in Redis
      Thread.sleep(4_000);
      // Before the command starts: the resume takes effect while its process runs, before it exits.
      long resumedAt = System.nanoTime();
      AgentCli.Result resumed = cli(target, "resume", "upstream");
      assertThat(resumed.out).contains("resumed");
      Thread.sleep(3_000);
      List<StrictUpstream.Arrival> arrivals = work(upstream.arrivals());
      Arrivals.save("live-limits-" + System.nanoTime(), arrivals);

      long duringPause = arrivals.stream()
          .filter(a -> a.nanos > pausedAt + PAUSE_STRAGGLERS_NANOS && a.nanos < resumedAt).count();
      System.out.printf("live limits: requests per second from %s after set %s/1s: %s; while paused: %d; "
          + "in the 3 s after resume: %d; 429: %d%n", TAKES_EFFECT, HALF, perSecond, duringPause,
          arrivals.stream().filter(a -> a.nanos > resumedAt).count(),
          arrivals.stream().filter(a -> a.status == 429).count());
      assertThat(arrivals.stream().filter(a -> a.status == 429).count()).as("429 answers").isZero();
      // In every whole second from 2 s after the change: the new limit (GCRA lets no more than N in a
      // window of one period) and not far below it (the fleet still has calls waiting).
      assertThat(perSecond).as("requests per second from %s after the change", TAKES_EFFECT).isNotEmpty()
          .allSatisfy(n -> assertThat(n).isBetween(HALF - 3, HALF + 1));
      assertThat(duringPause).as("requests while paused").isZero();
      long afterResume = arrivals.stream().filter(a -> a.nanos > resumedAt).count();
      assertThat(afterResume).as("requests in the 3 s after resume (and its command)").isGreaterThanOrEqualTo(2L * HALF);
      assertThat(arrivals.stream().filter(a -> a.nanos > resumedAt).map(a -> a.worker).distinct().count())
          .as("workers heard from after resume").isEqualTo(3);
      assertThat(workers.workers()).as("no JVM was restarted").allSatisfy(w -> assertThat(w.isAlive()).isTrue());
    }
  }

  private static AgentCli.Result cli(String[] target, String... command) {
    String[] args = new String[command.length + target.length];
    System.arraycopy(command, 0, args, 0, command.length);
    System.arraycopy(target, 0, args, command.length, target.length);
    AgentCli.Result r = AgentCli.run(args);
    assertThat(r.exitCode).as("%s", r).isZero();
    return r;
  }

  private static JsonNode json(AgentCli.Result r) throws IOException {
    return new ObjectMapper().readTree(r.out);
  }

  private static List<StrictUpstream.Arrival> work(List<StrictUpstream.Arrival> all) {
    return all.stream().filter(a -> !"warmup".equals(a.tag)).collect(Collectors.toList());
  }

  /** Arrivals in each whole second of [from, to). */
  private static List<Integer> perSecond(List<StrictUpstream.Arrival> all, long from, long to) {
    List<Integer> counts = new ArrayList<>();
    List<StrictUpstream.Arrival> work = work(all);
    for (long start = from; start + 1_000_000_000L <= to; start += 1_000_000_000L) {
      long s = start;
      counts.add((int) work.stream().filter(a -> a.nanos >= s && a.nanos < s + 1_000_000_000L).count());
    }
    return counts;
  }
}
