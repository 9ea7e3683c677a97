/**
 * Fixtures for tests, benchmarks and the demo: real {@code redis-server} and Sentinel processes on free
 * loopback ports, a raw RESP connection for checking them, child worker JVMs, and local HTTP upstreams that
 * enforce rate limits and record every request ({@link dev.ratequeue.testing.StrictUpstream},
 * {@link dev.ratequeue.testing.OpenAiUpstream}).
 *
 * <p>The Redis servers and workers are real operating-system processes. A JVM shutdown hook kills whatever is
 * still running at exit, so a forgotten {@code close()} never leaves a server or worker behind.
 */
package dev.ratequeue.testing;
