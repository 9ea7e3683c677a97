package dev.ratequeue.coordination;

/**
 * Grants permits for shared resources. {@link #local()} coordinates the threads of this JVM only;
 * {@link #create(String, CoordinatorOptions)} with a {@code redis://} URL coordinates every JVM that
 * uses the same Redis and namespace.
 */
public interface Coordinator extends AutoCloseable {
  /**
   * The limiter of resource {@code limits.name()}. The first JVM to name a resource seeds the
   * coordinator with {@code limits}; when the coordinator already holds limits for it (set live,
   * or by another JVM), those win and the call returns the limiter as it stands.
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
