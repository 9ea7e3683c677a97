/**
 * RateQueue's benchmarks, measured side by side against the anchors on the same Redis in the same run (see
 * BENCHMARKS.md at the repository root for the commands and the latest numbers):
 * <ul>
 *   <li>{@link dev.ratequeue.bench.AcquireLatencyBenchmark} (JMH, SampleTime): one uncontended acquire against a
 *       Lettuce {@code PING} and {@code EVALSHA} round trip, run and tabulated by
 *       {@link dev.ratequeue.bench.LatencyRun};</li>
 *   <li>{@link dev.ratequeue.bench.FleetThroughput}: permits per second of several worker JVMs
 *       ({@link dev.ratequeue.bench.FleetWorker}) when the limit is not binding, with Redis commands per permit;</li>
 *   <li>{@link dev.ratequeue.bench.Smoke}: both in a few seconds, for CI.</li>
 * </ul>
 * Everything builds into {@code bench/target/benchmarks.jar}.
 */
package dev.ratequeue.bench;
