package dev.ratequeue.bootstrap;

/**
 * What the application said about the calls made on this thread right now: their priority and
 * load (set through {@code dev.ratequeue.api.RateQueue}, which finds this class by name when the
 * agent is attached), and the resources whose permit an enclosing {@code @RateLimited} method holds.
 * Immutable; the current one is per thread. Asynchronous calls capture it when they are made.
 */
public final class CallScope {
  /** No priority given: the resource's default priority applies. */
  public static final int DEFAULT_PRIORITY = Integer.MIN_VALUE;
  /** No load given: the call weighs 1 (or what the resource's estimator says). */
  public static final long DEFAULT_LOAD = -1;

  public static final CallScope NONE = new CallScope(DEFAULT_PRIORITY, DEFAULT_LOAD, null);
  private static final ThreadLocal<CallScope> CURRENT = new ThreadLocal<>();

  private final int priority;
  private final long load;
  private final Held held;

  private CallScope(int priority, long load, Held held) {
    this.priority = priority;
    this.load = load;
    this.held = held;
  }

  public static CallScope current() {
    CallScope scope = CURRENT.get();
    return scope == null ? NONE : scope;
  }

  /**
   * Makes calls on this thread go at {@code priority} with {@code load} ({@link #DEFAULT_PRIORITY}
   * or {@link #DEFAULT_LOAD} keep the enclosing scope's); returns what {@link #exit} restores.
   */
  public static Object enter(int priority, long load) {
    CallScope previous = CURRENT.get();
    CURRENT.set((previous == null ? NONE : previous).with(priority, load));
    return previous;
  }

  public static void exit(Object previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set((CallScope) previous);
    }
  }

  static Object enterHolding(String resource) {
    CallScope previous = CURRENT.get();
    CallScope outer = previous == null ? NONE : previous;
    CURRENT.set(new CallScope(outer.priority, outer.load, new Held(resource, outer.held)));
    return previous;
  }

  CallScope with(int newPriority, long newLoad) {
    return new CallScope(newPriority == DEFAULT_PRIORITY ? priority : newPriority,
        newLoad == DEFAULT_LOAD ? load : newLoad, held);
  }

  /** The priority the application asked for, or {@link #DEFAULT_PRIORITY}. */
  public int priority() {
    return priority;
  }

  /** The load the application gave, or {@link #DEFAULT_LOAD}. */
  public long load() {
    return load;
  }

  /** Whether an enclosing call already holds a permit of {@code resource}: nested calls ride on it. */
  public boolean holds(String resource) {
    for (Held h = held; h != null; h = h.next) {
      if (h.resource.equals(resource)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "CallScope[priority=" + (priority == DEFAULT_PRIORITY ? "default" : priority)
        + ", load=" + (load == DEFAULT_LOAD ? "default" : load) + "]";
  }

  private static final class Held {
    final String resource;
    final Held next;

    Held(String resource, Held next) {
      this.resource = resource;
      this.next = next;
    }
  }
}
