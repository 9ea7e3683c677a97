package dev.ratequeue.bench;

import dev.ratequeue.agent.config.AgentConfiguration;
import dev.ratequeue.agent.config.ConfigurationProblems;
import dev.ratequeue.agent.config.Settings;
import dev.ratequeue.agent.gate.AgentBridge;
import dev.ratequeue.bootstrap.RateQueueBridge;
import dev.ratequeue.bootstrap.Route;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent adds to a call to a host no resource maps: everything its advice does on that path is one
 * {@link RateQueueBridge#route} (a lower-case check, a hash lookup, one suffix test per wildcard pattern) and a
 * null test. Measured with a configuration of {@code resources} resources, a third of them wildcards, the way
 * the agent builds it from properties; {@code host} is unmapped, or mapped (the lookup only: the permit is the
 * engine's business, see {@link AcquireLatencyBenchmark}).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar UnmappedHostBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class UnmappedHostBenchmark {
  @Param({"1", "10", "100"})
  public int resources;

  @Param({"unmapped", "mapped", "unmapped-uppercase"})
  public String host;

  private AgentBridge bridge;
  private String requestHost;

  @Setup(Level.Trial)
  public void setUp() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < resources; i++) {
      String pattern = i % 3 == 0 ? "*.partner" + i + ".example.com" : "api" + i + ".example.com";
      settings.put("ratequeue.resources.r" + i + ".match", pattern + (i % 2 == 0 ? "" : ":8443/v1"));
      settings.put("ratequeue.resources.r" + i + ".requests", "100/1s");
    }
    ConfigurationProblems problems = new ConfigurationProblems();
    AgentConfiguration config = AgentConfiguration.from(Settings.of(settings), problems);
    if (problems.hasErrors()) {
      throw new IllegalStateException(problems.errors().toString());
    }
    bridge = new AgentBridge(config);
    RateQueueBridge.install(bridge);
    switch (host) {
      case "mapped":
        requestHost = resources > 1 ? "api1.example.com" : "x.partner0.example.com";
        break;
      case "unmapped-uppercase":
        requestHost = "Objects.Storage.Example.Net";
        break;
      default:
        requestHost = "objects.storage.example.net";
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    bridge.close();
  }

  /** As the OkHttp and java.net.http advice call it: scheme, host, port (-1: the scheme's), path. */
  @Benchmark
  public Route route() {
    return RateQueueBridge.route("https", requestHost, 8443, "/v1/items");
  }
}
