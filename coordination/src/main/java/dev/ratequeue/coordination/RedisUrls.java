package dev.ratequeue.coordination;

/** Redis URLs carry passwords: anything shown to a person goes through {@link #mask}. */
public final class RedisUrls {
  private RedisUrls() {}

  /** {@code redis://user:secret@host:6379} becomes {@code redis://user:***@host:6379}. */
  public static String mask(String url) {
    if (url == null) {
      return "null";
    }
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String masked = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
    return url.substring(0, scheme + 3) + masked + url.substring(at);
  }
}
