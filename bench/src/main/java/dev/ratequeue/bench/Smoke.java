package dev.ratequeue.bench;

/**
 * The benchmarks' smoke test, for CI: checks that they still run and still measure what they claim, measures
 * nothing. Runs each harness in its smoke mode: {@link LatencyRun} (every competitor of {@link
 * AcquireLatencyBenchmark} for 0.4 s, in this JVM), {@link InterleavedLatency} (1.5 s), {@link FleetThroughput} (2
 * worker JVMs of 4 threads, RateQueue, Bucket4j with batching and Redisson), {@link OverloadRun} (2 JVMs, RateQueue
 * and Bucket4j, blocking and try), {@link PriorityRun} (RateQueue with priorities and Bucket4j behind a backlog),
 * {@link AgentOverheadRun} (one short fork per configuration, the mapped ones checked to have gone through the
 * limiter) and {@link StartupTime} (each configuration started twice, the agent's included). It exits non-zero if
 * any failed: an exception in a benchmark, a competitor that completed nothing or made no round trip, a worker that
 * failed or exited badly, a permit that came from the local fallback instead of Redis, no EVALSHA at all, or
 * high-priority calls that did not pass a backlog.
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
        OverloadRun.main(new String[] {"--smoke"});
        PriorityRun.main(new String[] {"--smoke"});
        AgentOverheadRun.main(new String[] {"--smoke"});
        StartupTime.run(new String[] {"--smoke"});
        System.out.printf("bench smoke passed in %.1f s%n", (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }
}
