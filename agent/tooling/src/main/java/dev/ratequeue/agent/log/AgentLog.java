package dev.ratequeue.agent.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's log: one line per event on standard error, {@code <time> [ratequeue] LEVEL message}.
 *
 * <p>Not java.util.logging nor System.Logger: touching the JDK's LogManager from a premain fixes it
 * before the application could choose its own ({@code java.util.logging.manager}), which breaks
 * application servers. Like the OpenTelemetry agent, we print to standard error ourselves.
 */
public final class AgentLog {
  public enum Level {
    ERROR, WARN, INFO, DEBUG
  }

  private static volatile AgentLog instance = new AgentLog(Level.INFO, System.err);

  private final Level threshold;
  private final PrintStream out;
  private final Set<String> once = ConcurrentHashMap.newKeySet();

  private AgentLog(Level threshold, PrintStream out) {
    this.threshold = threshold;
    this.out = out;
  }

  public static AgentLog get() {
    return instance;
  }

  public static void configure(Level threshold) {
    instance = new AgentLog(threshold, System.err);
  }

  /** {@code error}, {@code warn}, {@code info} or {@code debug}; {@code null} when unknown. */
  public static Level parseLevel(String text) {
    try {
      return Level.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public boolean enabled(Level level) {
    return level.ordinal() <= threshold.ordinal();
  }

  public void error(String message) {
    log(Level.ERROR, message, null);
  }

  public void warn(String message) {
    log(Level.WARN, message, null);
  }

  public void info(String message) {
    log(Level.INFO, message, null);
  }

  public void debug(String message) {
    log(Level.DEBUG, message, null);
  }

  public void log(Level level, String message, Throwable error) {
    if (!enabled(level)) {
      return;
    }
    StringBuilder line = new StringBuilder(message.length() + 48);
    line.append(Instant.now()).append(" [ratequeue] ").append(level).append(' ').append(message);
    synchronized (out) {
      out.println(line);
      if (error != null && enabled(Level.DEBUG)) {
        error.printStackTrace(out);
      }
    }
  }

  /** Logs {@code message} the first time {@code key} is seen, and never again in this JVM. */
  public void once(String key, Level level, String message, Throwable error) {
    if (once.add(key)) {
      log(level, message, error);
    }
  }
}
