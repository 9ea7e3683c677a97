package dev.ratequeue.coordination.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lettuce has no URL for a cluster: {@code redis-cluster://[user:password@]h1:p1,h2:p2[?query]}
 * becomes one {@code redis://[user:password@]hN:pN[?query]} per seed node ({@code rediss://} for
 * {@code rediss-cluster://}), so each seed keeps the credentials, TLS and options of the URL. Lettuce
 * applies the first seed's credentials and TLS to the nodes it discovers.
 */
final class ClusterSeeds {
  private ClusterSeeds() {}

  /** {@code url} has passed {@code RedisUrls.wellFormed}; throws a RuntimeException if Lettuce cannot read a seed. */
  static List<RedisURI> parse(String url, Duration timeout) {
    String scheme = url.toLowerCase(Locale.ROOT).startsWith("rediss-") ? "rediss://" : "redis://";
    String rest = url.substring(url.indexOf("://") + 3);
    String query = "";
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question);
      rest = rest.substring(0, question);
    }
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    int at = rest.lastIndexOf('@');
    String userInfo = rest.substring(0, at + 1);
    List<RedisURI> seeds = new ArrayList<>();
    for (String host : rest.substring(at + 1).split(",")) {
      RedisURI seed = RedisURI.create(scheme + userInfo + host + query);
      seed.setTimeout(timeout);
      seeds.add(seed);
    }
    return seeds;
  }
}
