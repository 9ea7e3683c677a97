package dev.ratequeue.coordination.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** What the coordinator logs (through java.util.logging, the platform logger's default), for assertions. */
final class CapturedLog extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.ratequeue.coordination");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  CapturedLog() {
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  List<String> lines(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level))
        .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r)).collect(Collectors.toList());
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
