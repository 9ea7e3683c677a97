package dev.ratequeue.coordination.internal;

import java.text.MessageFormat;

/**
 * Where the engine's few log lines go (an outage and its end, a limit change, an unexpected error).
 * By default System.Logger, so an application using the engine as a library sees them in its own
 * logging; the agent routes them to its own log instead, since initialising the JDK's logging from
 * a {@code -javaagent} would fix it before the application chose one.
 */
public final class EngineLog {
  public enum Level {
    ERROR, WARNING, INFO, DEBUG
  }

  /** One log line: {@code message} is already formatted. */
  public interface Sink {
    void log(Level level, String message, Throwable error);
  }

  private static final System.Logger.Level[] SYSTEM_LEVELS = {System.Logger.Level.ERROR,
      System.Logger.Level.WARNING, System.Logger.Level.INFO, System.Logger.Level.DEBUG};
  private static volatile Sink sink = (level, message, error) -> System.getLogger("dev.ratequeue.coordination")
      .log(SYSTEM_LEVELS[level.ordinal()], message, error);

  private EngineLog() {}

  public static void route(Sink to) {
    sink = to;
  }

  /** {@code pattern} in {@link MessageFormat} syntax ({@code {0}}, quotes doubled). */
  public static void log(Level level, String pattern, Object... arguments) {
    sink.log(level, arguments.length == 0 ? pattern : MessageFormat.format(pattern, arguments), null);
  }

  public static void log(Level level, String message, Throwable error) {
    sink.log(level, message, error);
  }
}
