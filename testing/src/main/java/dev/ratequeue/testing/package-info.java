/**
 * Fixtures for tests, benchmarks and the demo: real {@code redis-server} and Sentinel processes on free
 * loopback ports, a raw RESP connection for checking them, and child worker JVMs.
 *
 * <p>Everything here starts real operating-system processes. A JVM shutdown hook kills whatever is still
 * running at exit, so a forgotten {@code close()} never leaves a server or worker behind.
 */
package dev.ratequeue.testing;
