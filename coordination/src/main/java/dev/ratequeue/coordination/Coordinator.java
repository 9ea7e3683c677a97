package dev.ratequeue.coordination;

/**
 * Grants permits for shared resources. {@link #local()} coordinates the threads of this JVM only;
 * {@link #create(String, CoordinatorOptions)} with a {@code redis://} URL coordinates every JVM that
 * uses the same Redis and namespace.
 */
public interface Coordinator extends AutoCloseable {
  /**
   * The limiter of resource {@code limits.name()}, seeding the coordinator with {@code limits} (a
   * configuration). Which limits the resource then runs under:
   * <ul>
   *   <li>none stored yet: {@code limits};
   *   <li>limits set live ({@link ResourceLimiter#updateLimits}, the admin API, the CLI's
   *       {@code set}): those, until they are reset; the configuration is ignored (logged once);
   *   <li>limits another JVM seeded from its configuration: {@code limits} replace them if they
   *       differ (the newest start wins, logged once naming old and new), and every JVM uses them
   *       from its next decision.
   * </ul>
   * The local coordinator holds one JVM's limits: there, the first call for a resource wins.
   */
  ResourceLimiter limiter(ResourceLimits limits);

  /** What this coordinator talks to, without credentials, e.g. {@code local} or {@code redis://host:6379}. */
  String describe();

  @Override
  void close();

  static Coordinator local() {
    return new dev.ratequeue.coordination.local.LocalCoordinator(CoordinatorOptions.defaults());
  }

  /** {@code local}, or a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URL. */
  static Coordinator create(String url, CoordinatorOptions options) {
    return Coordinators.create(url, options);
  }
}
