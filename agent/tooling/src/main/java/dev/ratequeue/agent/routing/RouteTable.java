package dev.ratequeue.agent.routing;

import dev.ratequeue.coordination.ConfigurationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which resource a request belongs to, by host, port and path: the most specific pattern wins (see
 * {@link MatchPattern#MOST_SPECIFIC_FIRST}). Every outbound call of the application asks, so the
 * common answer, "none", costs one hash lookup for the host, then the wildcards: a few are tested
 * one by one (a suffix test each, nothing allocated); beyond {@link #SCANNED_WILDCARDS}, each suffix
 * of the host a wildcard could name ({@code .b.example.com}, {@code .example.com}, {@code .com}) is
 * looked up instead, longest first, however many patterns there are (UnmappedHostBenchmark).
 *
 * @param <R> what a match leads to
 */
public final class RouteTable<R> {
  static final int SCANNED_WILDCARDS = 8;

  private final Map<String, List<Entry<R>>> exactHosts;
  /** Most specific first; tested one by one while there are at most SCANNED_WILDCARDS. */
  private final List<Entry<R>> wildcardList;
  /** By suffix, with its leading dot ({@code .example.com}). */
  private final Map<String, List<Entry<R>>> wildcards;

  private RouteTable(Map<String, List<Entry<R>>> exactHosts, List<Entry<R>> wildcardList,
      Map<String, List<Entry<R>>> wildcards) {
    this.exactHosts = exactHosts;
    this.wildcardList = wildcardList;
    this.wildcards = wildcards;
  }

  public static <R> Builder<R> builder() {
    return new Builder<>();
  }

  /** {@code host} lower case without brackets, {@code port} the effective port, {@code path} starting with '/'. */
  public R lookup(String host, int port, String path) {
    List<Entry<R>> candidates = exactHosts.get(host);
    if (candidates != null) {
      for (Entry<R> e : candidates) {
        if (e.pattern.matches(host, port, path)) {
          return e.target;
        }
      }
    }
    if (wildcardList.size() <= SCANNED_WILDCARDS) {
      for (Entry<R> e : wildcardList) {
        if (e.pattern.matches(host, port, path)) {
          return e.target;
        }
      }
      return null;
    }
    for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      List<Entry<R>> suffixed = wildcards.get(host.substring(dot));
      if (suffixed != null) {
        for (Entry<R> e : suffixed) {
          if (e.pattern.matches(host, port, path)) {
            return e.target;
          }
        }
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return exactHosts.isEmpty() && wildcards.isEmpty();
  }

  private static final class Entry<R> {
    final MatchPattern pattern;
    final R target;
    final String owner;

    Entry(MatchPattern pattern, R target, String owner) {
      this.pattern = pattern;
      this.target = target;
      this.owner = owner;
    }
  }

  public static final class Builder<R> {
    private final List<Entry<R>> entries = new ArrayList<>();

    /**
     * @param key the setting the pattern came from, for the error when two resources claim the same
     * @param owner the resource's name
     */
    public Builder<R> add(String key, MatchPattern pattern, R target, String owner) {
      for (Entry<R> e : entries) {
        if (e.pattern.sameAs(pattern)) {
          throw new ConfigurationException(key, pattern.toString(), e.owner.equals(owner)
              ? "each pattern once per resource"
              : "a pattern no other resource has; resource '" + e.owner + "' matches '" + e.pattern + "' already");
        }
      }
      entries.add(new Entry<>(pattern, target, owner));
      return this;
    }

    public RouteTable<R> build() {
      List<Entry<R>> sorted = new ArrayList<>(entries);
      sorted.sort((a, b) -> MatchPattern.MOST_SPECIFIC_FIRST.compare(a.pattern, b.pattern));
      Map<String, List<Entry<R>>> exact = new HashMap<>();
      Map<String, List<Entry<R>>> wildcards = new HashMap<>();
      List<Entry<R>> wildcardList = new ArrayList<>();
      for (Entry<R> e : sorted) {
        if (e.pattern.wildcard) {
          wildcardList.add(e);
          wildcards.computeIfAbsent(e.pattern.host, h -> new ArrayList<>()).add(e);
        } else {
          exact.computeIfAbsent(e.pattern.host, h -> new ArrayList<>()).add(e);
        }
      }
      return new RouteTable<>(exact, wildcardList, wildcards);
    }
  }
}
