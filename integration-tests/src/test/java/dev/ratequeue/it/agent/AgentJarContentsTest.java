package dev.ratequeue.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the application's class loaders can see of the agent jar: only the launcher. The bridge and everything
 * else, third-party libraries relocated under {@code dev.ratequeue.shaded}, are stored as {@code .classdata}
 * under {@code bridge/} and {@code inst/}, where no class loader but the agent's looks.
 */
class AgentJarContentsTest {
  @Test
  void nothingButTheLauncherIsLoadableAndTheLibrariesAreRelocated() throws Exception {
    try (JarFile jar = new JarFile(AgentWorkers.agentJar().toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
      assertThat(names.stream().filter(n -> n.endsWith(".class")))
          .as("classes any class loader would find").allMatch(n -> n.startsWith("dev/ratequeue/launcher/"));
      assertThat(names.stream().filter(n -> !n.startsWith("inst/") && !n.startsWith("bridge/")
          && !n.startsWith("META-INF/") && !n.startsWith("dev/ratequeue/launcher/") && !n.endsWith("/")))
          .as("entries outside inst/, bridge/, META-INF/ and the launcher").isEmpty();
      for (String library : new String[] {"io/prometheus/metrics/expositionformats/PrometheusTextFormatWriter",
          "io/prometheus/metrics/model/snapshots/CounterSnapshot", "org/HdrHistogram/Recorder",
          "io/lettuce/core/RedisClient", "net/bytebuddy/ByteBuddy"}) {
        assertThat(names).contains("inst/dev/ratequeue/shaded/" + library + ".classdata");
        assertThat(names).noneMatch(n -> n.startsWith("inst/" + library) || n.startsWith(library));
      }
    }
  }
}
