package dev.ratequeue.it.agent;

import dev.ratequeue.testing.OpenAiUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Four worker JVMs calling a local {@link OpenAiUpstream} through the real OpenAI Java SDK, as a fleet of LLM
 * workers does: one with blocking calls, one with the SDK's async client, one streaming its completions (usage in
 * the last chunk), one more blocking. Every call goes through the agent; the SDK retries a 429 itself, twice, as it
 * does by default, and those retries go through the agent too.
 */
final class OpenAiFleet {
  /** The four workers: client, mode, and how many calls each keeps going. */
  private static final String[][] WORKERS = {
      {"openai", "sync", "threads=4"},
      {"openai", "async", "inflight=8"},
      {"openai-stream", "sync", "threads=4"},
      {"openai", "sync", "threads=4"}};

  /** What a run left behind: what each worker counted, and every request the upstream saw after warm-up. */
  static final class Run {
    final List<WorkerResult> workers;
    final List<OpenAiUpstream.Arrival> arrivals;
    final long startNanos;
    final long endNanos;

    Run(List<WorkerResult> workers, List<OpenAiUpstream.Arrival> arrivals, long startNanos, long endNanos) {
      this.workers = workers;
      this.arrivals = arrivals;
      this.startNanos = startNanos;
      this.endNanos = endNanos;
    }

    long count(int status) {
      return arrivals.stream().filter(a -> a.status == status).count();
    }

    /**
     * Arrivals from {@code fromNanos} after the go to the end of the run; not those after it, of calls that were
     * still waiting for a permit when the workers stopped starting new ones.
     */
    List<OpenAiUpstream.Arrival> after(long fromNanos) {
      return arrivals.stream().filter(a -> a.nanos >= startNanos + fromNanos && a.nanos < endNanos)
          .collect(Collectors.toList());
    }

    /** Tokens the upstream charged accepted requests per second, from {@code fromNanos} after the go on. */
    double tokensPerSecondAfter(long fromNanos) {
      long charged = after(fromNanos).stream().filter(OpenAiUpstream.Arrival::accepted)
          .mapToLong(a -> a.chargedTokens).sum();
      return charged / ((endNanos - startNanos - fromNanos) / 1e9);
    }

    /** Accepted requests per second, from {@code fromNanos} after the go on. */
    double acceptedPerSecondAfter(long fromNanos) {
      return after(fromNanos).stream().filter(OpenAiUpstream.Arrival::accepted).count()
          / ((endNanos - startNanos - fromNanos) / 1e9);
    }

    @Override
    public String toString() {
      return workers.toString();
    }
  }

  private OpenAiFleet() {}

  /**
   * Starts the fleet against {@code upstream} with the agent's {@code settings}, lets it run {@code runMillis},
   * and waits for every worker to finish. {@code args}: more worker arguments ({@code maxTokens=N}).
   */
  static Run run(OpenAiUpstream upstream, Map<String, String> settings, long runMillis, String... args) {
    try (AgentWorkers workers = new AgentWorkers(settings)) {
      for (int i = 0; i < WORKERS.length; i++) {
        String[] w = WORKERS[i];
        List<String> all = new ArrayList<>(Arrays.asList("client=" + w[0], "mode=" + w[1], w[2],
            "url=" + upstream.baseUrl(), "worker=" + (i + 1), "runMillis=" + runMillis,
            "warmup=" + upstream.baseUrl() + "?worker=warmup"));
        all.addAll(Arrays.asList(args));
        workers.start(w[0] + "-" + w[1] + "-" + (i + 1), ClientLib.OPENAI_JAVA, all.toArray(new String[0]));
      }
      workers.awaitReady();
      long start = System.nanoTime();
      workers.go();
      // The slowest call the SDK may still be retrying when the run ends is bounded by the test's own timeout.
      List<WorkerResult> results = workers.awaitDone(Duration.ofMillis(runMillis).plusSeconds(90));
      if (Boolean.getBoolean("ratequeue.it.worker-logs")) {
        workers.workers().forEach(w -> w.errorLines().forEach(l -> System.out.println(w.name() + "! " + l)));
      }
      long end = Math.min(System.nanoTime(), start + TimeUnit.MILLISECONDS.toNanos(runMillis));
      List<OpenAiUpstream.Arrival> arrivals = upstream.arrivals().stream()
          .filter(a -> !"warmup".equals(a.worker)).collect(Collectors.toList());
      return new Run(results, arrivals, start, end);
    }
  }
}
