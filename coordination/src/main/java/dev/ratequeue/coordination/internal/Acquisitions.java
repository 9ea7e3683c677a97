package dev.ratequeue.coordination.internal;

import dev.ratequeue.coordination.Permit;
import dev.ratequeue.coordination.RateQueueException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What every coordinator kind does the same way around an acquire. Internal: not an API. */
public final class Acquisitions {
  private Acquisitions() {}

  public static void requireValidLoad(long load) {
    if (load < 0) {
      throw new IllegalArgumentException("Invalid value for 'load': '" + load + "'; expected a whole number >= 0");
    }
  }

  /**
   * Blocks on a pending acquire. Interruption cancels it, which takes the call out of the queue or
   * returns a permit that raced in, so an interrupted thread never leaks capacity.
   */
  public static Permit await(CompletableFuture<Permit> pending) throws InterruptedException {
    try {
      return pending.get();
    } catch (InterruptedException e) {
      pending.cancel(false);
      throw e;
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (CancellationException e) {
      throw new RateQueueException("acquire was cancelled", e);
    }
  }

  /** Our own exceptions keep their type so callers can catch them; anything else is wrapped. */
  public static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RuntimeException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    return new RateQueueException(String.valueOf(cause), cause);
  }
}
