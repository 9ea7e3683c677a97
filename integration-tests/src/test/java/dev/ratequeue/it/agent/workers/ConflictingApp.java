package dev.ratequeue.it.agent.workers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ratequeue.testing.workers.HttpWorker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Collections;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

/**
 * An application with its own versions of what the agent carries inside it (see client-libs/conflicting-app):
 * it uses each of them, says which version it got, then runs {@link HttpWorker} (OkHttp 4.9) with the rest of
 * its arguments. {@code redis=URI}: where its own Lettuce connects.
 */
public final class ConflictingApp {
  private ConflictingApp() {}

  public static void main(String[] args) throws Exception {
    String redis = null;
    for (String a : args) {
      if (a.startsWith("redis=")) {
        redis = a.substring("redis=".length());
      }
    }
    RedisClient client = RedisClient.create(redis);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().set("conflicting-app", "mine");
      System.out.println("LETTUCE " + RedisClient.class.getPackage().getImplementationVersion() + " "
          + connection.sync().get("conflicting-app"));
    } finally {
      client.shutdown();
    }
    System.out.println("NETTY " + io.netty.util.Version.identify().get("netty-common").artifactVersion());
    System.out.println("JACKSON " + new ObjectMapper().version() + " "
        + new ObjectMapper().writeValueAsString(Collections.singletonMap("app", "mine")));
    Class<?> made = new ByteBuddy().subclass(Object.class).name("dev.example.Made").make()
        .load(ConflictingApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
    // Byte Buddy's manifest names no version: its jar does.
    String jar = ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    System.out.println("BYTEBUDDY " + jar.substring(jar.lastIndexOf('/') + 1) + " " + made.getName());
    HttpWorker.main(args);
  }
}
