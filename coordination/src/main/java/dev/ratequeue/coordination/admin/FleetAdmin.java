package dev.ratequeue.coordination.admin;

import dev.ratequeue.coordination.ConfigurationException;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.ResourceLimits;
import dev.ratequeue.coordination.redis.RedisFleetAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fleet as an operator sees it: every resource the coordinator knows, its limits and state,
 * and the JVMs that use it; and the levers: live limits, pause, resume.
 *
 * <p>An admin is not a worker: it never heart-beats (so it never counts among a resource's live
 * clients, nor shrinks anyone's fallback share), never seeds limits, and holds no permit. It talks
 * to the coordinator directly, connecting at once and failing fast (within the command timeout)
 * when it cannot, where a worker's coordinator would wait and fall back.
 *
 * <p>Limits changed here are <em>live</em>: they win over every JVM's configuration until
 * {@link #resetLimits} gives the resource back to configuration (see the README, "Watch and steer").
 */
public interface FleetAdmin extends AutoCloseable {

  /**
   * Connects to the coordinator of {@code url} now.
   *
   * @throws NotFleetWideException {@code url} is {@code local}: each JVM keeps its own limits
   * @throws ConfigurationException {@code url} is not a coordinator URL
   * @throws FleetUnreachableException the coordinator did not answer within the command timeout
   */
  static FleetAdmin connect(String url, CoordinatorOptions options) {
    String text = url == null ? "" : url.trim();
    if (text.toLowerCase(Locale.ROOT).equals("local")) {
      throw new NotFleetWideException();
    }
    return RedisFleetAdmin.connect(text, options);
  }

  /** The coordinator, without credentials. */
  String describe();

  /** Names of every resource the coordinator holds limits for, sorted. */
  List<String> resources();

  /** Limits, where they come from, and the fleet-wide snapshot; empty for a resource nobody seeded. */
  Optional<ResourceState> resource(String name);

  /** Sets {@code limits} live for resource {@code limits.name()}: every JVM uses them from its next decision. */
  void updateLimits(ResourceLimits limits);

  /**
   * Forgets the live limits: every JVM seeds its own configuration again on its next call, and the
   * first to do so wins, as at a first start.
   */
  void resetLimits(String resource);

  /** Nothing is granted, in any JVM, for {@code duration}; a pause never shortens one in force. */
  void pause(String resource, Duration duration);

  /** Ends a pause at once; calls waiting in the queue are granted from its head. */
  void resume(String resource);

  /** The JVMs alive now (heart-beating within one lease TTL), by client id. */
  List<FleetClient> clients();

  @Override
  void close();
}
