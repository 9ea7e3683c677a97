package dev.ratequeue.coordination;

/**
 * What one resource's calls did in <b>this JVM</b>: counted where it happens, cheap to keep, read at
 * any time. Unlike {@link ResourceSnapshot}, which asks the coordinator about the whole fleet, reading
 * these never leaves the JVM, so a metrics endpoint or JMX can poll them as often as it likes.
 *
 * <p>Counters are cumulative since the limiter was created; wait times cover a recent window
 * ({@link WaitTimes#window()}).
 */
public interface ResourceStats {
  String resource();

  /** Calls queued now, waiting for a permit. */
  long waiting();

  /** Permits granted and not closed yet. */
  long inFlight();

  /** Permits granted, by any acquire. */
  long granted();

  /** Calls that got no permit, for any reason but their caller's cancelling them. */
  default long rejected() {
    long sum = 0;
    for (Rejection r : Rejection.values()) {
      sum += rejected(r);
    }
    return sum;
  }

  long rejected(Rejection reason);

  /** Calls whose caller gave up (a cancelled future, an interrupted thread) before a permit came. */
  long cancelled();

  /** From enqueue to grant, of the calls granted recently. */
  WaitTimes waitTimes();

  /** Whether this JVM reaches the coordinator now; while it does not, the failure policy decides. */
  CoordinatorState coordinatorState();

  /** Why a call got no permit. */
  enum Rejection {
    /** Its wait was predicted to exceed, or did exceed, the resource's max-wait. */
    MAX_WAIT("max-wait"),
    /** The coordinator was unreachable and the failure policy is {@code fail}. */
    COORDINATOR_UNAVAILABLE("coordinator-unavailable"),
    /** Anything else the engine refused it with. */
    ERROR("error");

    private final String label;

    Rejection(String label) {
      this.label = label;
    }

    /** The name metrics use, e.g. {@code max-wait}. */
    public String label() {
      return label;
    }
  }

  enum CoordinatorState {
    CONNECTED, DEGRADED;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Stats of a limiter that keeps none. */
  static ResourceStats none(String resource) {
    return new ResourceStats() {
      @Override
      public String resource() {
        return resource;
      }

      @Override
      public long waiting() {
        return 0;
      }

      @Override
      public long inFlight() {
        return 0;
      }

      @Override
      public long granted() {
        return 0;
      }

      @Override
      public long rejected(Rejection reason) {
        return 0;
      }

      @Override
      public long cancelled() {
        return 0;
      }

      @Override
      public WaitTimes waitTimes() {
        return WaitTimes.EMPTY;
      }

      @Override
      public CoordinatorState coordinatorState() {
        return CoordinatorState.CONNECTED;
      }
    };
  }
}
