package dev.ratequeue.bootstrap;

/**
 * The one static entry point of instrumented code. Every method is safe to call from anywhere,
 * never throws (but for {@link #acquireForMethod}, which throws what a denied call should), and costs
 * a field read plus a map lookup for a host that no resource maps.
 */
public final class RateQueueBridge {
  private static volatile Bridge bridge = Bridge.OFF;

  private RateQueueBridge() {}

  public static void install(Bridge installed) {
    bridge = installed;
  }

  /** See {@link Bridge#route}; {@code null} (pass through) also when the agent itself fails. */
  public static Route route(String host, int port, String path) {
    try {
      return bridge.route(host, port, path);
    } catch (Throwable t) {
      internalError("route", t);
      return null;
    }
  }

  /** {@code scheme} only decides the default port: {@code port < 0} means the URL names none. */
  public static Route route(String scheme, String host, int port, String path) {
    if (host == null) {
      return null;
    }
    int effective = port >= 0 ? port : "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80;
    return route(normalizeHost(host), effective, path == null || path.isEmpty() ? "/" : path);
  }

  public static Route resource(String name) {
    try {
      return bridge.resource(name);
    } catch (Throwable t) {
      internalError("resource", t);
      return null;
    }
  }

  /** See {@link Bridge#resourceNames}; found by name from the application (ratequeue-micrometer). */
  public static java.util.List<String> resourceNames() {
    try {
      return bridge.resourceNames();
    } catch (Throwable t) {
      internalError("metrics", t);
      return java.util.Collections.emptyList();
    }
  }

  /** See {@link Bridge#metric}. */
  public static double metric(String resource, String name) {
    try {
      return bridge.metric(resource, name);
    } catch (Throwable t) {
      internalError("metrics", t);
      return Double.NaN;
    }
  }

  public static void internalError(String where, Throwable error) {
    try {
      bridge.internalError(where, error);
    } catch (Throwable ignored) {
      // nothing left to tell it to
    }
  }

  /**
   * Where an exception that escaped inlined advice ends (the advice's exception handler calls it):
   * logged once, never rethrown, so the instrumented method carries on as if uninstrumented.
   */
  public static void adviceFailed(Throwable error) {
    StackTraceElement[] frames = error.getStackTrace();
    internalError("advice" + (frames.length > 0 ? " at " + frames[0] : ""), error);
  }

  /**
   * {@link #acquireForMethod} for advice: a denied call throws the {@link PermitDeniedException} when
   * the method declares an {@code IOException}, else an {@link java.io.UncheckedIOException} around it.
   * Anything else going wrong lets the method run unlimited.
   */
  public static MethodPermit enterMethod(String resource, long load, int priority, String method,
      boolean declaresIOException) {
    try {
      return acquireForMethod(resource, load, priority, method);
    } catch (PermitDeniedException e) {
      if (declaresIOException) {
        throw RateQueueBridge.<RuntimeException>sneaky(e);
      }
      throw new java.io.UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      internalError("@RateLimited " + method, e);
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  /**
   * The permit of one call of an {@code @RateLimited} method, taken on the calling thread; the
   * returned scope is closed when the method returns. While it is open, HTTP calls made by the
   * method to the same resource ride on its permit instead of taking one each.
   *
   * @return {@code null} when the resource is not configured (logged once): the method runs unlimited
   */
  public static MethodPermit acquireForMethod(String resource, long load, int priority, String method)
      throws PermitDeniedException {
    Route route = resource(resource);
    if (route == null) {
      internalError("@RateLimited(resource = \"" + resource + "\") on " + method,
          new IllegalArgumentException("no resource '" + resource + "' is configured (ratequeue.resources."
              + resource + ".…); the method runs without a limit"));
      return null;
    }
    CallScope outer = CallScope.current();
    if (outer.holds(route.resource())) {
      return null; // an enclosing call of this resource already holds its permit
    }
    CallPermit permit = route.acquire(outer.with(priority, load));
    return new MethodPermit(permit, CallScope.enterHolding(route.resource()));
  }

  static String normalizeHost(String host) {
    String h = host;
    if (h.length() > 1 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
      h = h.substring(1, h.length() - 1);
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return h.toLowerCase(java.util.Locale.ROOT);
      }
    }
    return h;
  }
}
