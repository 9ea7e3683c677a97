package dev.ratequeue.it.agent;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The platform MBean server of another JVM on this machine, reached the way jconsole does: the Attach
 * API starts that JVM's local management agent and hands back its address. Nothing is configured in
 * the worker beforehand, and no port is fixed.
 */
final class WorkerJmx implements AutoCloseable {
  private final JMXConnector connector;
  private final MBeanServerConnection server;

  private WorkerJmx(JMXConnector connector) throws IOException {
    this.connector = connector;
    this.server = connector.getMBeanServerConnection();
  }

  static WorkerJmx attach(long pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    return new WorkerJmx(JMXConnectorFactory.connect(new JMXServiceURL(address)));
  }

  Object attribute(String objectName, String attribute) throws Exception {
    return server.getAttribute(new ObjectName(objectName), attribute);
  }

  long resourceLong(String resource, String attribute) throws Exception {
    return ((Number) attribute("dev.ratequeue:type=Resource,name=" + resource, attribute)).longValue();
  }

  double resourceDouble(String resource, String attribute) throws Exception {
    return ((Number) attribute("dev.ratequeue:type=Resource,name=" + resource, attribute)).doubleValue();
  }

  String resourceString(String resource, String attribute) throws Exception {
    return (String) attribute("dev.ratequeue:type=Resource,name=" + resource, attribute);
  }

  boolean registered(String objectName) throws Exception {
    return server.isRegistered(new ObjectName(objectName));
  }

  @Override
  public void close() throws IOException {
    connector.close();
  }
}
