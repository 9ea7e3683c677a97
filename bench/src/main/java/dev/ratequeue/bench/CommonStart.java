package dev.ratequeue.bench;

import dev.ratequeue.testing.WorkerJvm;
import java.time.Duration;
import java.util.List;

/**
 * How a harness starts its worker JVMs together: it waits until every one printed {@code READY <name>} (connected,
 * threads parked), then pushes one start time, epoch milliseconds on the machine's one clock, onto each worker's
 * Redis list ({@code <prefix><name>}), where the worker blocks for it.
 */
final class CommonStart {
    private CommonStart() {
    }

    /** Waits for every worker to be ready and gives them all the same start, {@code delayMs} from now. */
    static long startTogether(Competitor.Lettuce control, List<WorkerJvm> workers, String keyPrefix, long delayMs) {
        for (WorkerJvm w : workers) {
            w.awaitLine(line -> line.startsWith("READY"), Duration.ofSeconds(60));
        }
        long start = System.currentTimeMillis() + delayMs;
        for (WorkerJvm w : workers) {
            control.sync.lpush(keyPrefix + w.name(), Long.toString(start));
        }
        return start;
    }
}
