package dev.ratequeue.bootstrap;

/**
 * What the agent offers instrumented code, implemented by the agent's tooling and installed into
 * {@link RateQueueBridge} once the configuration is read.
 */
public interface Bridge {
  /** Calls no resource, limits nothing: before the agent is installed, or when it is disabled. */
  Bridge OFF = new Bridge() {
    @Override
    public Route route(String host, int port, String path) {
      return null;
    }

    @Override
    public Route resource(String name) {
      return null;
    }

    @Override
    public void internalError(String where, Throwable error) {}
  };

  /**
   * The resource a request to {@code host:port/path} belongs to, or {@code null} when none is
   * mapped to it: such calls pass through untouched. {@code host} is lower case without IPv6
   * brackets; {@code port} is the effective port (80 or 443 when the URL names none).
   */
  Route route(String host, int port, String path);

  /** The resource named {@code name}, or {@code null} when the configuration has none of that name. */
  Route resource(String name);

  /** A bug or an unexpected failure inside the agent: logged once per place, never thrown. */
  void internalError(String where, Throwable error);

  /** The configured resources, for metrics bindings in the application (ratequeue-micrometer). */
  default java.util.List<String> resourceNames() {
    return java.util.Collections.emptyList();
  }

  /**
   * The value now of one metric of {@code resource}, by the name the README's "Metrics" section gives
   * it without the {@code ratequeue.} prefix (e.g. {@code permits.granted}, {@code wait.p99} in
   * seconds); NaN for a resource or a name the agent does not know.
   */
  default double metric(String resource, String name) {
    return Double.NaN;
  }
}
