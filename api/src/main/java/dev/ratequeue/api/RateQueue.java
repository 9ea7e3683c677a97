package dev.ratequeue.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Callable;

/**
 * Tells the RateQueue agent how to treat the calls this thread makes inside a scope: their priority
 * (higher first) and their load (units against a {@code load} limit).
 *
 * <pre>{@code
 * try (RateQueue.Scope urgent = RateQueue.priority(10)) {
 *   client.newCall(request).execute();      // waits ahead of every lower-priority call of the fleet
 * }
 * String answer = RateQueue.withPriority(10, () -> callTheApi());
 * }</pre>
 *
 * <p>Scopes nest (the inner one wins, and closing it restores the outer one) and belong to the
 * thread that opened them; an asynchronous call ({@code enqueue}, {@code sendAsync}, an async
 * client's {@code execute}) takes the scope of the thread that made it. Without the agent attached
 * every method here is a no-op, so code using it runs anywhere.
 */
public final class RateQueue {
  /** The resource's configured default priority. */
  public static final int DEFAULT_PRIORITY = Integer.MIN_VALUE;
  /** The call's default load (1, or what the resource's estimator says). */
  public static final long DEFAULT_LOAD = -1;

  private static final Scope NOTHING = () -> {};
  private static final MethodHandle ENTER;
  private static final MethodHandle EXIT;

  static {
    MethodHandle enter = null;
    MethodHandle exit = null;
    try {
      // On the bootstrap class path only when the agent is attached: found by name, never linked.
      Class<?> scopes = Class.forName("dev.ratequeue.bootstrap.CallScope", true, null);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      enter = lookup.findStatic(scopes, "enter", MethodType.methodType(Object.class, int.class, long.class));
      exit = lookup.findStatic(scopes, "exit", MethodType.methodType(void.class, Object.class));
    } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
      // No agent: scopes do nothing.
    }
    ENTER = enter;
    EXIT = exit;
  }

  private RateQueue() {}

  /** Whether the RateQueue agent is attached to this JVM. */
  public static boolean agentAttached() {
    return ENTER != null;
  }

  /** Calls made on this thread until the scope is closed go at {@code priority} (higher first). */
  public static Scope priority(int priority) {
    return scope(priority, DEFAULT_LOAD);
  }

  /** Calls made on this thread until the scope is closed weigh {@code load} units each. */
  public static Scope load(long load) {
    return scope(DEFAULT_PRIORITY, load);
  }

  /**
   * Both at once; {@link #DEFAULT_PRIORITY} or {@link #DEFAULT_LOAD} keep what an enclosing scope
   * (or the resource) says.
   */
  public static Scope scope(int priority, long load) {
    if (load < 0 && load != DEFAULT_LOAD) {
      throw new IllegalArgumentException("load must be >= 0 (or RateQueue.DEFAULT_LOAD), was " + load);
    }
    if (ENTER == null) {
      return NOTHING;
    }
    Object previous;
    try {
      previous = ENTER.invokeExact(priority, load);
    } catch (Throwable t) {
      return NOTHING;
    }
    return new Opened(previous);
  }

  /** Runs {@code work} with its calls at {@code priority}. */
  public static void withPriority(int priority, Runnable work) {
    try (Scope scope = priority(priority)) {
      work.run();
    }
  }

  /** Returns what {@code work} returns, its calls made at {@code priority}; its exception passes through. */
  public static <T> T withPriority(int priority, Callable<T> work) throws Exception {
    try (Scope scope = priority(priority)) {
      return work.call();
    }
  }

  /** An open scope; closing it restores the one around it. Close it on the thread that opened it. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static final class Opened implements Scope {
    private final Object previous;
    private boolean closed;

    Opened(Object previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        EXIT.invokeExact(previous);
      } catch (Throwable t) {
        // never let the agent's scope bookkeeping fail the application
      }
    }
  }
}
