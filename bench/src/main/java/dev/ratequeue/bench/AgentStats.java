package dev.ratequeue.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What a fork's agent did for one resource, read from its MBean ({@code dev.ratequeue:type=Resource,name=…}) at
 * the end of the fork, next to the calls the benchmark made: handed from the fork to {@link AgentOverheadRun} in a
 * small file. A fork without the agent, or whose agent never routed a call to the resource, has no such MBean
 * ({@link #hasResource()} false).
 */
final class AgentStats {
    final long calls;
    /** -1 when there is no MBean for the resource. */
    final long granted;
    final long rejected;
    final String coordinatorState;

    private AgentStats(long calls, long granted, long rejected, String coordinatorState) {
        this.calls = calls;
        this.granted = granted;
        this.rejected = rejected;
        this.coordinatorState = coordinatorState;
    }

    /** In the fork: this JVM's MBean of {@code resource}. */
    static AgentStats read(String resource, long calls) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName("dev.ratequeue:type=Resource,name=" + resource);
            return new AgentStats(calls, ((Number) server.getAttribute(name, "Granted")).longValue(),
                    ((Number) server.getAttribute(name, "Rejected")).longValue(),
                    String.valueOf(server.getAttribute(name, "CoordinatorState")));
        } catch (InstanceNotFoundException e) {
            return new AgentStats(calls, -1, 0, "none");
        } catch (JMException e) {
            throw new IllegalStateException("could not read the agent's MBean of " + resource, e);
        }
    }

    List<String> lines() {
        return Arrays.asList("calls=" + calls, "granted=" + granted, "rejected=" + rejected,
                "coordinatorState=" + coordinatorState);
    }

    /** In the harness: what a fork wrote. */
    static AgentStats parse(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: the fork did not reach its tear-down");
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new AgentStats(Long.parseLong(p.getProperty("calls")), Long.parseLong(p.getProperty("granted")),
                Long.parseLong(p.getProperty("rejected")), p.getProperty("coordinatorState"));
    }

    boolean hasResource() {
        return granted >= 0;
    }

    /** Sums the counters of several forks; the state is the last fork's. */
    AgentStats plus(AgentStats other) {
        return new AgentStats(calls + other.calls,
                granted < 0 && other.granted < 0 ? -1 : Math.max(0, granted) + Math.max(0, other.granted),
                rejected + other.rejected, other.coordinatorState);
    }
}
