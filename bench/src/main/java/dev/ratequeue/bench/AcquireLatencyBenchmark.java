package dev.ratequeue.bench;

import dev.ratequeue.testing.RedisServer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one uncontended operation, one thread, against a real {@code redis-server} on loopback: how close an
 * uncontended RateQueue acquire comes to one Redis round trip (the target: p50 and p99 at most 1.3 times a
 * Lettuce {@code PING}).
 *
 * <h2>Workload</h2>
 * One benchmark thread repeats one operation of the {@link Competitor} under test:
 * <ul>
 *   <li>{@code Lettuce_Ping}: {@code sync().ping()} on a default Lettuce connection (the anchor);</li>
 *   <li>{@code Lettuce_EvalSha}: {@code sync().evalsha(sha of "return 1")} (a round trip plus entering Lua);</li>
 *   <li>{@code Lettuce_GrantScript}: {@code sync().evalsha} of RateQueue's own {@code ratequeue.lua} with the keys
 *       and the single enqueue op an uncontended acquire sends: the script's cost without the engine's Java side
 *       (a diagnostic, see {@link GrantScriptCall});</li>
 *   <li>{@code RateQueue_Redis}: {@code limiter.acquire(1, 0).close()} through {@code Coordinator.create(redis://…)}
 *       on a resource whose only limit is {@code requests = }{@link #limit}, far above what one thread asks for,
 *       so no call ever waits for the rate;</li>
 *   <li>{@code RateQueue_Redis_Concurrency}: the same plus a non-binding {@code concurrency} limit, so each permit
 *       holds a lease that close releases in Redis;</li>
 *   <li>{@code RateQueue_Local}: the same acquire/close through {@code Coordinator.local()}.</li>
 * </ul>
 * Each fork starts its own {@code redis-server} (via {@link RedisServer}, the same binary and settings for every
 * competitor) in {@code @Setup} and stops it in {@code @TearDown}. Mode is {@code SampleTime}, so JMH reports
 * p50/p90/p99/p99.9 per competitor. At the end of each fork, the {@code INFO commandstats} difference over the whole
 * trial is printed per operation ({@code # commandstats per op: evalsha 1.00, time 1.00, ...}): what one operation
 * really cost Redis, scripted commands included.
 *
 * <h2>Run</h2>
 * The documented run (BENCHMARKS.md) goes through {@link LatencyRun}, which interleaves the competitors in rounds,
 * records the machine's load around each, and prints the ratio table:
 * <pre>
 * mvn -q -o install -DskipTests \
 *   &amp;&amp; java -cp bench/target/benchmarks.jar dev.ratequeue.bench.LatencyRun
 * </pre>
 * Plain JMH works too (one fork per competitor, in parameter order, no ratio table):
 * {@code java -jar bench/target/benchmarks.jar AcquireLatencyBenchmark}; add {@code -prof jfr} for a flight
 * recording per fork, or {@code -p competitor=RateQueue_Redis} for one competitor.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
@State(Scope.Benchmark)
public class AcquireLatencyBenchmark {

    @Param({"Lettuce_Ping", "Lettuce_EvalSha", "Lettuce_GrantScript", "RateQueue_Redis", "RateQueue_Redis_Concurrency",
        "RateQueue_Local"})
    public Competitor competitor;

    /**
     * The requests limit of the RateQueue competitors. Non-binding: a single thread asks for far fewer. It must also
     * be high enough that consecutive grants are never spaced (smooth GCRA spaces them by period/N), which is why it
     * is not merely "higher than the throughput".
     */
    @Param({"1000000000/1s"})
    public String limit;

    private RedisServer redis;
    private Competitor.Op op;
    private Competitor.Lettuce stats;
    private CommandStats statsBefore;
    private final List<Ops> threads = new CopyOnWriteArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        String uri = "unused";
        if (competitor.needsRedis()) {
            redis = RedisServer.start();
            uri = redis.uri();
            System.out.println("# redis-server " + redis.version() + " at " + uri);
            stats = new Competitor.Lettuce(uri);
            statsBefore = CommandStats.read(stats.sync);
        }
        op = competitor.open(uri, competitor.nonBindingLimits(limit));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (stats != null) {
                long ops = threads.stream().mapToLong(t -> t.count).sum();
                CommandStats ran = CommandStats.read(stats.sync).minus(statsBefore);
                System.out.println(String.format(Locale.ROOT, "# commandstats per op (%d ops): %s", ops,
                        ran.describePer(ops)));
                // One thread, no contention: every competitor makes one round trip per operation at least. Fewer
                // means it did not measure Redis (e.g. the coordinator fell back to its in-JVM share).
                double roundTrips = (ran.calls("ping") + ran.calls("evalsha") + ran.calls("eval")) / (double) ops;
                if (threads.size() == 1 && roundTrips < 0.9) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "%s made %.2f PING/EVALSHA/EVAL per operation, expected at least 1: it did not measure Redis",
                            competitor, roundTrips));
                }
            }
        } finally {
            try {
                if (op != null) {
                    op.close();
                }
            } finally {
                if (stats != null) {
                    stats.close();
                }
                if (redis != null) {
                    redis.close();
                }
            }
        }
    }

    @Benchmark
    public Object operation(Ops ops) throws Exception {
        ops.count++;
        return op.run();
    }

    /** Counts this thread's operations, for the commands-per-operation line. */
    @State(Scope.Thread)
    public static class Ops {
        long count;

        @Setup(Level.Trial)
        public void register(AcquireLatencyBenchmark benchmark) {
            benchmark.threads.add(this);
        }
    }
}
