package dev.ratequeue.bench;

/**
 * The benchmarks' smoke test, for CI: a few seconds, checks that they still run and still measure what they claim,
 * measures nothing. Runs {@link LatencyRun} {@code --smoke} (every competitor of {@link AcquireLatencyBenchmark}
 * for 0.4 s, in this JVM), {@link InterleavedLatency} {@code --smoke} (1.5 s) and {@link FleetThroughput}
 * {@code --smoke} (2 worker JVMs of 4 threads, one second, acquire only), {@link AgentOverheadRun} {@code --smoke}
 * (one fork with the agent, one without) and {@link StartupTime} {@code --smoke} (each configuration started
 * twice, the agent's included), and exits non-zero if any failed: an
 * exception in a benchmark, a competitor that completed nothing or made no round trip, a worker that failed or
 * exited badly, a permit that came from the local fallback instead of Redis, or no EVALSHA at all.
 *
 * <pre>
 * mvn -q -o install -DskipTests \
 *   &amp;&amp; java -cp bench/target/benchmarks.jar dev.ratequeue.bench.Smoke
 * </pre>
 */
public final class Smoke {

    private Smoke() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        LatencyRun.main(new String[] {"--smoke"});
        InterleavedLatency.main(new String[] {"--smoke"});
        FleetThroughput.main(new String[] {"--smoke"});
        AgentOverheadRun.main(new String[] {"--smoke"});
        StartupTime.run(new String[] {"--smoke"});
        System.out.printf("bench smoke passed in %.1f s%n", (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }
}
