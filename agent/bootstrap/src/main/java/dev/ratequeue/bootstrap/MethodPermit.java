package dev.ratequeue.bootstrap;

import java.util.concurrent.CompletionStage;

/** The permit of one {@code @RateLimited} method call and the scope it opened on the calling thread. */
public final class MethodPermit {
  private final CallPermit permit;
  private final Object previousScope;

  MethodPermit(CallPermit permit, Object previousScope) {
    this.permit = permit;
    this.previousScope = previousScope;
  }

  /**
   * The method returned {@code result} (or threw). A {@link CompletionStage} keeps the permit until
   * it completes, so a concurrency limit counts the work, not just the call that started it.
   */
  public void exit(Object result) {
    CallScope.exit(previousScope);
    if (result instanceof CompletionStage) {
      try {
        ((CompletionStage<?>) result).whenComplete((value, failure) -> permit.close());
        return;
      } catch (Throwable t) {
        RateQueueBridge.internalError("@RateLimited completion", t);
      }
    }
    permit.close();
  }
}
