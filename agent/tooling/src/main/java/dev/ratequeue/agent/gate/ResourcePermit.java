package dev.ratequeue.agent.gate;

import dev.ratequeue.agent.llm.Usage;
import dev.ratequeue.agent.llm.UsageParser;
import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.bootstrap.BodyTail;
import dev.ratequeue.bootstrap.CallPermit;
import dev.ratequeue.coordination.Permit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An engine permit as instrumented code holds it, with what its call was reckoned to weigh. An
 * OpenAI-compatible call that succeeds asks for the end of its body, where the response says what the call
 * really cost ({@code usage}), and its load is reconciled to that: the difference is charged to, or
 * refunded from, the limit every JVM shares.
 */
final class ResourcePermit implements CallPermit {
  private final ResourceRoute route;
  private final Permit permit;
  private final CallEstimate estimate;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();

  ResourcePermit(ResourceRoute route, Permit permit, CallEstimate estimate) {
    this.route = route;
    this.permit = permit;
    this.estimate = estimate;
  }

  @Override
  public int responded(int status, Function<String, String> headers) {
    try {
      route.responded(status, headers, estimate);
    } catch (RuntimeException e) {
      route.bridge().internalError("the response of a call of " + route.resource(), e);
    }
    return estimate.fromUsage && route.reconciles() && status >= 200 && status < 300 ? UsageParser.TAIL_BYTES : 0;
  }

  @Override
  public void bodyEnded(BodyTail tail) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      Usage usage = UsageParser.parse(tail.bytes());
      long actual;
      if (usage.totalTokens().isPresent()) {
        actual = usage.totalTokens().getAsLong();
      } else if (usage.outputTokens().isPresent() && estimate.promptTokens > 0) {
        actual = estimate.promptTokens + usage.outputTokens().getAsLong(); // a stream whose start was not kept
      } else {
        AgentLog.get().debug("Resource '" + route.resource() + "': no usage in the response (" + usage.reason()
            + "); the call keeps its estimate of " + estimate.load);
        return;
      }
      if (actual != estimate.load) {
        permit.reconcile(actual);
      }
    } catch (RuntimeException e) {
      route.bridge().internalError("the usage of a call of " + route.resource(), e);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        permit.close();
      } catch (RuntimeException e) {
        route.bridge().internalError("closing a permit of " + route.resource(), e);
      }
    }
  }
}
