package dev.ratequeue.agent.gate;

import dev.ratequeue.agent.config.LoadEstimator;
import dev.ratequeue.agent.llm.Ignored;
import dev.ratequeue.agent.llm.TokenEstimate;
import dev.ratequeue.agent.llm.TokenEstimator;
import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.bootstrap.OutboundRequest;

/**
 * A resource's {@link LoadEstimator} at work: what a request weighs before it goes. Anything that cannot
 * be read makes the call weigh 1 and is logged once per resource and reason: never a reason to fail a call.
 */
final class LoadEstimates {
  private final String resource;
  private final LoadEstimator estimator;
  private final TokenEstimator tokens;

  LoadEstimates(String resource, LoadEstimator estimator, TokenEstimator tokens) {
    this.resource = resource;
    this.estimator = estimator;
    this.tokens = tokens;
  }

  /** Whether requests must be shown at all: a constant needs none. */
  boolean readsRequests() {
    return estimator.kind() != LoadEstimator.Kind.CONSTANT;
  }

  CallEstimate estimate(OutboundRequest request) {
    switch (estimator.kind()) {
      case CONSTANT:
        return CallEstimate.of(estimator.constant());
      case HEADER:
        return fromHeader(request);
      default:
        return fromBody(request);
    }
  }

  private CallEstimate fromHeader(OutboundRequest request) {
    String value = request == null ? null : request.header(estimator.header());
    if (value == null) {
      return CallEstimate.ONE;
    }
    try {
      long load = Long.parseLong(value.trim());
      if (load >= 0) {
        return CallEstimate.of(load);
      }
    } catch (NumberFormatException e) {
      // logged below
    }
    AgentLog.get().once("estimate-header:" + resource, AgentLog.Level.WARN, "Resource '" + resource
        + "': request header " + estimator.header() + " is '" + value + "'; expected a whole number >= 0; "
        + "such calls weigh 1 (logged once)", null);
    return CallEstimate.ONE;
  }

  private CallEstimate fromBody(OutboundRequest request) {
    if (request == null || !TokenEstimator.appliesTo(request.path())) {
      return CallEstimate.ONE;
    }
    TokenEstimate e = tokens.estimate(request.path(), request.body());
    for (Ignored ignored : e.ignored()) {
      AgentLog.get().once("estimate:" + resource + ":" + ignored.name(), AgentLog.Level.WARN, "Resource '"
          + resource + "': " + ignored.message() + " (logged once)", null);
    }
    if (!e.known()) {
      AgentLog.get().once("estimate-unknown:" + resource, AgentLog.Level.WARN, "Resource '" + resource
          + "': no token estimate for " + request.method() + " " + request.path() + " (" + e.reason()
          + "); such calls weigh 1 until their usage is read (logged once)", null);
      return new CallEstimate(1, true, 0);
    }
    return new CallEstimate(Math.max(1, e.totalTokens()), true, e.promptTokens());
  }
}
