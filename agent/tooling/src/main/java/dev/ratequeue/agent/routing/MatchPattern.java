package dev.ratequeue.agent.routing;

import dev.ratequeue.coordination.ConfigurationException;
import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a resource's {@code match} list: {@code api.openai.com}, {@code *.openai.azure.com},
 * {@code 10.0.0.5:8080/v1/}, {@code [::1]:8080}. A scheme in front ({@code https://}) is accepted
 * and ignored. {@code *.example.com} matches every host below {@code example.com}, not
 * {@code example.com} itself. A path prefix matches whole segments: {@code /v1} matches {@code /v1}
 * and {@code /v1/chat}, not {@code /v1beta}.
 */
public final class MatchPattern {
  private static final Pattern SHAPE = Pattern.compile(
      "(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?(\\*\\.)?(\\[[0-9a-fA-F:.]+\\]|[a-zA-Z0-9_.-]+)(?::(\\d{1,5}))?(/[^?#\\s]*)?");

  /** Most specific first: an exact host, a longer wildcard suffix, a port, a longer path prefix. */
  static final Comparator<MatchPattern> MOST_SPECIFIC_FIRST = Comparator
      .comparing((MatchPattern p) -> p.wildcard)
      .thenComparing(p -> -p.host.length())
      .thenComparing(p -> p.port < 0)
      .thenComparing(p -> -p.pathPrefix.length());

  private final String text;
  /** Lower case, no brackets; for a wildcard, the suffix with its leading dot ({@code .example.com}). */
  final String host;
  final boolean wildcard;
  /** -1: any port. */
  final int port;
  /** Empty: any path; otherwise starts with '/' and has no trailing '/' unless it is "/". */
  final String pathPrefix;

  private MatchPattern(String text, String host, boolean wildcard, int port, String pathPrefix) {
    this.text = text;
    this.host = host;
    this.wildcard = wildcard;
    this.port = port;
    this.pathPrefix = pathPrefix;
  }

  public static MatchPattern parse(String key, String text) {
    String trimmed = text.trim();
    Matcher m = SHAPE.matcher(trimmed);
    String expected = "host[:port][/path-prefix] entries separated by commas, such as api.openai.com, "
        + "*.openai.azure.com or 10.0.0.5:8080/v1/";
    if (trimmed.isEmpty() || !m.matches()) {
      throw new ConfigurationException(key, trimmed, expected);
    }
    String host = m.group(2).toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.startsWith(".") || host.endsWith(".") || host.contains("..")) {
      throw new ConfigurationException(key, trimmed, expected);
    }
    int port = -1;
    if (m.group(3) != null) {
      port = Integer.parseInt(m.group(3));
      if (port < 1 || port > 65535) {
        throw new ConfigurationException(key, trimmed, "a port between 1 and 65535 in " + expected);
      }
    }
    String path = m.group(4) == null ? "" : m.group(4);
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.equals("/")) {
      path = "";
    }
    boolean wildcard = m.group(1) != null;
    return new MatchPattern(trimmed, wildcard ? "." + host : host, wildcard, port, path);
  }

  boolean matches(String requestHost, int requestPort, String requestPath) {
    if (port >= 0 && port != requestPort) {
      return false;
    }
    if (wildcard ? !requestHost.endsWith(host) : !requestHost.equals(host)) {
      return false;
    }
    if (pathPrefix.isEmpty()) {
      return true;
    }
    return requestPath.startsWith(pathPrefix)
        && (requestPath.length() == pathPrefix.length() || requestPath.charAt(pathPrefix.length()) == '/');
  }

  /** Two patterns that match exactly the same requests. */
  boolean sameAs(MatchPattern other) {
    return host.equals(other.host) && wildcard == other.wildcard && port == other.port
        && pathPrefix.equals(other.pathPrefix);
  }

  @Override
  public String toString() {
    return text;
  }
}
