package dev.ratequeue.coordination;

import dev.ratequeue.coordination.local.LocalCoordinator;
import dev.ratequeue.coordination.redis.RedisCoordinator;
import java.util.Locale;

/** Picks the coordinator kind from its URL. */
final class Coordinators {
  private Coordinators() {}

  static Coordinator create(String url, CoordinatorOptions options) {
    String text = url == null ? "" : url.trim();
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("local")) {
      return new LocalCoordinator(options);
    }
    if (lower.startsWith("redis://") || lower.startsWith("rediss://") || lower.startsWith("redis-sentinel://")
        || lower.startsWith("rediss-sentinel://") || RedisUrls.isCluster(lower)) {
      return RedisCoordinator.connect(text, options);
    }
    throw new ConfigurationException("ratequeue.coordinator", RedisUrls.mask(text),
        "local, or a URL redis://[user:password@]host:port[/db], rediss://… (TLS), redis-sentinel://host:port#master "
            + "or redis-cluster://host:port[,host:port]");
  }
}
