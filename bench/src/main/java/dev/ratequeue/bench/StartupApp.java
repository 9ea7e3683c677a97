package dev.ratequeue.bench;

import java.lang.management.ManagementFactory;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The application {@link StartupTime} starts, again and again: it makes one OkHttp call and exits, printing how
 * long after the JVM started its {@code main} began ({@code MAIN}) and its call was answered ({@code CALLED}).
 */
public final class StartupApp {
  private StartupApp() {}

  public static void main(String[] args) throws Exception {
    long main = ManagementFactory.getRuntimeMXBean().getUptime();
    OkHttpClient client = new OkHttpClient();
    try (Response response = client.newCall(new Request.Builder().url(args[0]).build()).execute()) {
      response.body().string();
    }
    long called = ManagementFactory.getRuntimeMXBean().getUptime();
    System.out.println("MAIN " + main + " CALLED " + called);
    System.exit(0);
  }
}
