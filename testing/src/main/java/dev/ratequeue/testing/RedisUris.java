package dev.ratequeue.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds the connection strings handed to clients, in the syntax Lettuce's {@code RedisURI.create} reads. */
final class RedisUris {

    private RedisUris() {
    }

    static String standalone(String host, int port, String user, String password) {
        return standalone(false, host, port, user, password);
    }

    /** {@code rediss://} when {@code tls}: Lettuce's scheme for TLS with certificate and host name verification. */
    static String standalone(boolean tls, String host, int port, String user, String password) {
        return (tls ? "rediss://" : "redis://") + userInfo(user, password) + host + ":" + port;
    }

    static String sentinel(String host, int port, String masterName, String user, String password) {
        return "redis-sentinel://" + userInfo(user, password) + host + ":" + port + "#" + encode(masterName);
    }

    private static String userInfo(String user, String password) {
        if (password == null) {
            return "";
        }
        return (user == null ? "" : encode(user)) + ":" + encode(password) + "@";
    }

    /** Lettuce percent-decodes user info but leaves '+' alone, so spaces must become %20, not '+'. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
