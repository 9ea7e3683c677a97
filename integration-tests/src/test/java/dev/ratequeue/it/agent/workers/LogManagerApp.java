package dev.ratequeue.it.agent.workers;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.logging.LogManager;
import javax.management.ObjectName;

/**
 * An application that chooses its own {@code java.util.logging} manager in {@code main}, as application servers
 * do, after the agent has started: prints {@code LOGMANAGER <class>} (its own unless something initialised the
 * JDK's logging before), then makes one call to {@code url=URI} and prints {@code MBEAN <name> true} once the
 * agent registered the resource's MBean. {@code go=FILE}: waits for it after READY.
 */
public final class LogManagerApp {
  /** The application's own manager. */
  public static final class Mine extends LogManager {}

  private LogManagerApp() {}

  public static void main(String[] args) throws Exception {
    String url = null;
    String go = null;
    for (String a : args) {
      if (a.startsWith("url=")) {
        url = a.substring(4);
      } else if (a.startsWith("go=")) {
        go = a.substring(3);
      }
    }
    System.out.println("READY");
    while (go != null && !Files.exists(Paths.get(go))) {
      Thread.sleep(5);
    }
    System.setProperty("java.util.logging.manager", Mine.class.getName());
    System.out.println("LOGMANAGER " + LogManager.getLogManager().getClass().getName());
    int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
    System.out.println("CALLED " + status);
    ObjectName bean = new ObjectName("dev.ratequeue:type=Resource,name=upstream");
    long until = System.nanoTime() + 10_000_000_000L;
    while (!ManagementFactory.getPlatformMBeanServer().isRegistered(bean) && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    System.out.println("MBEAN " + bean + " " + ManagementFactory.getPlatformMBeanServer().isRegistered(bean));
    System.out.println("DONE");
  }
}
