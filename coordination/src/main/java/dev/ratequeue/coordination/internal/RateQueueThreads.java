package dev.ratequeue.coordination.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads a coordinator owns. Waiting calls hold none of them: a timer thread fires
 * deadlines and wake-ups, and a small pool completes asynchronous acquires so that application
 * callbacks never run on the timer or on Redis' event loop. All are daemons: a coordinator never
 * keeps an application's JVM alive.
 */
public final class RateQueueThreads {
  private RateQueueThreads() {}

  public static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public static ScheduledExecutorService timer(String name) {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon(name));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** At most as many threads as cores; idle ones die, so a quiet JVM keeps none. */
  public static ThreadPoolExecutor completions(String name) {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon(name));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
