package dev.ratequeue.coordination;

import java.util.regex.Pattern;

/** Redis URLs carry passwords: anything shown to a person goes through {@link #mask}. */
public final class RedisUrls {
  private static final String HOST = "(?:[^:/?#@,\\[\\]\\s]+|\\[[0-9a-fA-F:.]+\\])(?::\\d{1,5})?";
  private static final Pattern STANDALONE =
      Pattern.compile("rediss?://(?:[^@/]*@)?" + HOST + "(?:/\\d+)?/?(?:\\?.*)?");
  private static final Pattern SENTINEL =
      Pattern.compile("rediss?-sentinel://(?:[^@/]*@)?" + HOST + "(?:," + HOST + ")*(?:/\\d+)?/?(?:[?#].+)");
  /** No database: a cluster has only database 0. */
  private static final Pattern CLUSTER =
      Pattern.compile("rediss?-cluster://(?:[^@/]*@)?" + HOST + "(?:," + HOST + ")*/?(?:\\?.*)?");

  private RedisUrls() {}

  /**
   * Whether {@code url} has the shape of a Redis URL we accept. Lettuce is lenient (a port that is
   * not a number becomes part of the host name), so the shape is checked before Lettuce sees it.
   */
  public static boolean wellFormed(String url) {
    String lower = url.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("redis-sentinel://") || lower.startsWith("rediss-sentinel://")) {
      return SENTINEL.matcher(url).matches() && (url.contains("#") || url.contains("sentinelMasterId="));
    }
    if (isCluster(url)) {
      return CLUSTER.matcher(url).matches();
    }
    return STANDALONE.matcher(url).matches();
  }

  /** {@code redis-cluster://} or {@code rediss-cluster://}: schemes of ours, which Lettuce does not know. */
  public static boolean isCluster(String url) {
    String lower = url.toLowerCase(java.util.Locale.ROOT);
    return lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://");
  }

  /**
   * {@code redis://user:secret@host:6379} becomes {@code redis://user:***@host:6379}. Anything
   * before an {@code @} is treated as credentials, even in a URL whose scheme is mistyped.
   */
  public static String mask(String url) {
    if (url == null) {
      return "null";
    }
    int at = url.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    int scheme = url.indexOf("://");
    int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
    String userInfo = url.substring(start, at);
    int colon = userInfo.lastIndexOf(':');
    String masked = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
    return url.substring(0, start) + masked + url.substring(at);
  }

}
