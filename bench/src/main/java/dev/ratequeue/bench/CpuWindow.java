package dev.ratequeue.bench;

import dev.ratequeue.testing.RedisServer;
import dev.ratequeue.testing.WorkerJvm;
import java.util.List;

/**
 * The CPU a measured window used, split into the run's own processes (this JVM, the Redis server, the workers), the
 * Redis server alone, and everything else on the machine: the figure that says whether a measurement was taken on
 * a quiet machine. Opened when the window starts, {@link #close() closed} when it ends; read from {@code /proc}.
 */
final class CpuWindow {

    private final RedisServer redis;
    private final List<WorkerJvm> workers;
    private final long[] machineBefore;
    private final long ownBefore;
    private final long redisBefore;
    private final long startNanos;
    private double seconds;
    private double ownCores;
    private double redisCores;
    private double otherCores;
    private double stealCores;

    private CpuWindow(RedisServer redis, List<WorkerJvm> workers) {
        this.redis = redis;
        this.workers = workers;
        machineBefore = Machine.cpuTicks();
        ownBefore = ownTicks();
        redisBefore = Machine.processTicks(redis.pid());
        startNanos = System.nanoTime();
    }

    /** Starts counting now; {@code workers} are the run's own child JVMs (none for an in-process run). */
    static CpuWindow open(RedisServer redis, List<WorkerJvm> workers) {
        return new CpuWindow(redis, workers);
    }

    /** Ends the window; the figures below are those of the window from then on. */
    CpuWindow close() {
        long[] machineAfter = Machine.cpuTicks();
        long own = ownTicks() - ownBefore;
        long redisTicks = Machine.processTicks(redis.pid()) - redisBefore;
        seconds = (System.nanoTime() - startNanos) / 1e9;
        ownCores = cores(own);
        redisCores = cores(redisTicks);
        otherCores = cores(Math.max(0, (machineAfter[0] - machineBefore[0]) - own));
        stealCores = cores(machineAfter[2] - machineBefore[2]);
        return this;
    }

    double seconds() {
        return seconds;
    }

    /** This JVM, the Redis server and the workers together. */
    double ownCores() {
        return ownCores;
    }

    double redisCores() {
        return redisCores;
    }

    /** Everything on the machine that is not this run: a busy machine shows here. */
    double otherCores() {
        return otherCores;
    }

    double stealCores() {
        return stealCores;
    }

    private double cores(long ticks) {
        return ticks / (double) Machine.TICKS_PER_SECOND / seconds;
    }

    private long ownTicks() {
        long ticks = Machine.processTicks(ProcessHandle.current().pid()) + Machine.processTicks(redis.pid());
        for (WorkerJvm w : workers) {
            ticks += Machine.processTicks(w.pid());
        }
        return ticks;
    }
}
