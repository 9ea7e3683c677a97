package dev.ratequeue.agent.gate;

import dev.ratequeue.agent.config.AgentConfiguration;
import dev.ratequeue.agent.config.ResourceConfiguration;
import dev.ratequeue.agent.llm.TokenEstimator;
import dev.ratequeue.agent.log.AgentLog;
import dev.ratequeue.agent.metrics.AgentMetrics;
import dev.ratequeue.agent.metrics.MetricValues;
import dev.ratequeue.agent.routing.MatchPattern;
import dev.ratequeue.agent.routing.RouteTable;
import dev.ratequeue.bootstrap.Bridge;
import dev.ratequeue.bootstrap.Route;
import dev.ratequeue.coordination.internal.RateQueueThreads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The agent's side of the bridge: routes requests to resources, and reports the agent's own failures once. */
public final class AgentBridge implements Bridge, AutoCloseable {
  private final Map<String, ResourceRoute> byName;
  private final RouteTable<ResourceRoute> routes;
  private final CoordinatorPool coordinators;
  private final ExecutorService pauses;
  /** Shared: its tokenizers are loaded once (tens of MB, half a second), on first use or at warm-up. */
  private final TokenEstimator tokens = new TokenEstimator();
  private final AgentMetrics metrics;

  public AgentBridge(AgentConfiguration configuration) {
    this(configuration, "(unknown version)");
  }

  public AgentBridge(AgentConfiguration configuration, String version) {
    this.coordinators = new CoordinatorPool(configuration.options());
    ThreadPoolExecutor pauser = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000),
        RateQueueThreads.daemon("ratequeue-pause"), new ThreadPoolExecutor.DiscardPolicy());
    pauser.allowCoreThreadTimeOut(true);
    this.pauses = pauser;
    Map<String, ResourceRoute> named = new LinkedHashMap<>();
    RouteTable.Builder<ResourceRoute> table = RouteTable.builder();
    for (ResourceConfiguration resource : configuration.resources().values()) {
      ResourceRoute route = new ResourceRoute(resource, coordinators, this, pauses, tokens);
      named.put(resource.name(), route);
      for (MatchPattern pattern : resource.match()) {
        table.add("ratequeue.resources." + resource.name() + ".match", pattern, route, resource.name());
      }
    }
    this.byName = Collections.unmodifiableMap(named);
    this.routes = table.build();
    this.metrics = new AgentMetrics(new ArrayList<>(named.values()), configuration.metrics(), version, pauses);
  }

  /** A call reached a resource: the first one registers the MBeans (see {@link AgentMetrics}). */
  void resourceUsed() {
    metrics.resourceUsed();
  }

  @Override
  public Route route(String host, int port, String path) {
    return routes.lookup(host, port, path);
  }

  @Override
  public Route resource(String name) {
    return byName.get(name);
  }

  @Override
  public List<String> resourceNames() {
    return new ArrayList<>(byName.keySet());
  }

  @Override
  public double metric(String resource, String name) {
    ResourceRoute route = byName.get(resource);
    return route == null ? Double.NaN : MetricValues.of(route, name);
  }

  @Override
  public void internalError(String where, Throwable error) {
    AgentLog.get().once("internal:" + where + ":" + error.getClass().getName(), AgentLog.Level.WARN,
        "Internal error in " + where + " (" + error + "); the call went ahead without RateQueue. Logged once; "
            + "set ratequeue.log.level=debug for the stack trace.", error);
  }

  /** Connects and seeds every resource off the application's threads, so the first call does not pay for it. */
  public void warmUp() {
    metrics.start();
    for (ResourceRoute route : byName.values()) {
      try {
        route.limiter();
      } catch (RuntimeException e) {
        internalError("starting resource " + route.resource(), e);
      }
    }
    if (byName.values().stream().anyMatch(ResourceRoute::readsRequests)) {
      // The first estimate would otherwise load a tokenizer (half a second) on an application thread.
      TokenEstimator.exactTokens("gpt-4o", "warm");
      TokenEstimator.exactTokens("gpt-4", "warm");
    }
  }

  @Override
  public void close() {
    metrics.close();
    pauses.shutdownNow();
    coordinators.close();
  }
}
