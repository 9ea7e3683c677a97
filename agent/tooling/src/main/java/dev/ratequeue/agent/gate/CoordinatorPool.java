package dev.ratequeue.agent.gate;

import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorOptions;
import dev.ratequeue.coordination.RedisUrls;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One coordinator per distinct URL, so that resources placed on different Redis servers (one per
 * region, say) each talk to their own, and resources sharing one share its connections. Created on
 * first use; connecting never blocks the caller (an unreachable Redis is an outage, handled by each
 * resource's failure policy, not a start-up failure).
 */
public final class CoordinatorPool implements AutoCloseable {
  private final CoordinatorOptions options;
  private final Map<String, Coordinator> coordinators = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public CoordinatorPool(CoordinatorOptions options) {
    this.options = options;
  }

  Coordinator coordinator(String url) {
    if (closed) {
      throw new IllegalStateException("the agent is shutting down");
    }
    return coordinators.computeIfAbsent(url, u -> {
      Coordinator c = u.equalsIgnoreCase("local") ? Coordinator.local() : Coordinator.create(u, options);
      AgentLog.get().debug("coordinator " + RedisUrls.mask(u) + " created");
      return c;
    });
  }

  @Override
  public void close() {
    closed = true;
    for (Coordinator c : coordinators.values()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        AgentLog.get().debug("closing coordinator " + c.describe() + ": " + e);
      }
    }
  }
}
