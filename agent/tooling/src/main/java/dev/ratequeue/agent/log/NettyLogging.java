package dev.ratequeue.agent.log;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.FormattingTuple;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.MessageFormatter;

/**
 * Netty's (and so Lettuce's) logging, routed to {@link AgentLog}. Left alone, Netty would pick the
 * first framework it finds, SLF4J or java.util.logging, and print notices of its own or initialise
 * the JDK's LogManager behind the application's back. Lettuce reports every failed reconnect,
 * which the coordinator already summarises once per outage: below ERROR, these lines are debug.
 */
final class NettyLogging extends InternalLoggerFactory {
  static void install() {
    InternalLoggerFactory.setDefaultFactory(new NettyLogging());
  }

  @Override
  protected InternalLogger newInstance(String name) {
    return new Logger(name);
  }

  private static final class Logger extends AbstractInternalLogger {
    private static final long serialVersionUID = 1L;

    Logger(String name) {
      super(name);
    }

    private static boolean debug() {
      return AgentLog.get().enabled(AgentLog.Level.DEBUG);
    }

    private void log(boolean error, String message, Throwable t) {
      if (error) {
        AgentLog.get().log(AgentLog.Level.WARN, name() + ": " + message + (t == null ? "" : " (" + t + ")"), t);
      } else if (debug()) {
        AgentLog.get().log(AgentLog.Level.DEBUG, name() + ": " + message + (t == null ? "" : " (" + t + ")"), t);
      }
    }

    private void format(boolean error, String format, Object... args) {
      if (error || debug()) {
        FormattingTuple tuple = MessageFormatter.arrayFormat(format, args);
        log(error, tuple.getMessage(), tuple.getThrowable());
      }
    }

    @Override public boolean isTraceEnabled() { return false; }
    @Override public void trace(String msg) {}
    @Override public void trace(String format, Object arg) {}
    @Override public void trace(String format, Object argA, Object argB) {}
    @Override public void trace(String format, Object... arguments) {}
    @Override public void trace(String msg, Throwable t) {}
    @Override public boolean isDebugEnabled() { return debug(); }
    @Override public void debug(String msg) { log(false, msg, null); }
    @Override public void debug(String format, Object arg) { format(false, format, arg); }
    @Override public void debug(String format, Object argA, Object argB) { format(false, format, argA, argB); }
    @Override public void debug(String format, Object... arguments) { format(false, format, arguments); }
    @Override public void debug(String msg, Throwable t) { log(false, msg, t); }
    @Override public boolean isInfoEnabled() { return debug(); }
    @Override public void info(String msg) { log(false, msg, null); }
    @Override public void info(String format, Object arg) { format(false, format, arg); }
    @Override public void info(String format, Object argA, Object argB) { format(false, format, argA, argB); }
    @Override public void info(String format, Object... arguments) { format(false, format, arguments); }
    @Override public void info(String msg, Throwable t) { log(false, msg, t); }
    @Override public boolean isWarnEnabled() { return debug(); }
    @Override public void warn(String msg) { log(false, msg, null); }
    @Override public void warn(String format, Object arg) { format(false, format, arg); }
    @Override public void warn(String format, Object... arguments) { format(false, format, arguments); }
    @Override public void warn(String format, Object argA, Object argB) { format(false, format, argA, argB); }
    @Override public void warn(String msg, Throwable t) { log(false, msg, t); }
    @Override public boolean isErrorEnabled() { return true; }
    @Override public void error(String msg) { log(true, msg, null); }
    @Override public void error(String format, Object arg) { format(true, format, arg); }
    @Override public void error(String format, Object argA, Object argB) { format(true, format, argA, argB); }
    @Override public void error(String format, Object... arguments) { format(true, format, arguments); }
    @Override public void error(String msg, Throwable t) { log(true, msg, t); }
  }
}
