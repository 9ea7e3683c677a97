package dev.ratequeue.agent.log;

import dev.ratequeue.coordination.internal.EngineLog;

/** Routes the log output of everything inside the agent (engine, Lettuce, Netty) to {@link AgentLog}. */
public final class EngineLogging {
  private EngineLogging() {}

  /** Before any engine class runs: Netty picks its logging once, when first used. */
  public static void install() {
    NettyLogging.install();
    EngineLog.route((level, message, error) -> AgentLog.get().log(level == EngineLog.Level.ERROR
        ? AgentLog.Level.ERROR : level == EngineLog.Level.WARNING ? AgentLog.Level.WARN
        : level == EngineLog.Level.INFO ? AgentLog.Level.INFO : AgentLog.Level.DEBUG, message, error));
  }
}
