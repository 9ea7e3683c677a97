package dev.ratequeue.agent.metrics;

import dev.ratequeue.agent.log.AgentLog;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers the agent's MBeans on the platform MBean server, and takes them off at shutdown.
 *
 * <p>Only once a resource is first used, never from the premain: the platform MBean server
 * initialises {@code java.util.logging} (it registers the logging MXBean), which an application
 * server must be able to configure first ({@code java.util.logging.manager}). By a rate-limited
 * call, the application has long set up its logging.
 */
final class JmxBeans {
  static final String DOMAIN = "dev.ratequeue";

  private final List<ObjectName> registered = new ArrayList<>();
  private MBeanServer server;

  static ObjectName resourceName(String resource) throws JMException {
    // Resource names are [a-z0-9][a-z0-9._-]*: nothing in them needs quoting.
    return new ObjectName(DOMAIN + ":type=Resource,name=" + resource);
  }

  static ObjectName agentName() throws JMException {
    return new ObjectName(DOMAIN + ":type=Agent");
  }

  synchronized void register(AgentMXBean agent, List<? extends ResourceMetrics> resources) {
    try {
      server = ManagementFactory.getPlatformMBeanServer();
      add(new StandardMBean(agent, AgentMXBean.class, true), agentName());
      for (ResourceMetrics r : resources) {
        add(new StandardMBean(new ResourceBean(r), ResourceMXBean.class, true), resourceName(r.resource()));
      }
      AgentLog.get().debug("MBeans registered: " + registered);
    } catch (JMException | RuntimeException | LinkageError e) {
      AgentLog.get().warn("Could not register the RateQueue MBeans (" + e + "); JMX shows no RateQueue metrics");
    }
  }

  private void add(StandardMBean bean, ObjectName name) throws JMException {
    if (server.isRegistered(name)) {
      // Another agent copy in this JVM (or a restart in the same JVM) got there first: ours win.
      server.unregisterMBean(name);
    }
    server.registerMBean(bean, name);
    registered.add(name);
  }

  synchronized void unregister() {
    for (ObjectName name : registered) {
      try {
        server.unregisterMBean(name);
      } catch (JMException | RuntimeException e) {
        // shutting down
      }
    }
    registered.clear();
  }
}
