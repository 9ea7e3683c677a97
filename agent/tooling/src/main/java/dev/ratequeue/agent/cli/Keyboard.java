package dev.ratequeue.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads single keys for {@code top}. On a terminal, line buffering and echo are switched off with
 * {@code stty} (and restored on exit, Ctrl-C included) so that {@code q} acts without Enter; without a
 * terminal (a pipe, a test) keys are read as they come, and {@code q} then needs its newline.
 */
final class Keyboard implements AutoCloseable {
  private final InputStream in;
  private final String savedMode;
  private final Thread restoreOnExit;

  private Keyboard(InputStream in, String savedMode) {
    this.in = in;
    this.savedMode = savedMode;
    this.restoreOnExit = savedMode == null ? null : new Thread(this::restore, "ratequeue-top-terminal");
    if (restoreOnExit != null) {
      Runtime.getRuntime().addShutdownHook(restoreOnExit);
    }
  }

  static Keyboard open(InputStream in) {
    if (System.console() == null) {
      return new Keyboard(in, null);
    }
    String saved = stty("-g");
    if (saved != null && stty("-icanon -echo min 1") == null) {
      saved = null;
    }
    return new Keyboard(in, saved);
  }

  /** Waits up to {@code interval}; true as soon as q (or Q) is pressed. */
  boolean quitWithin(Duration interval) throws InterruptedException {
    long end = System.nanoTime() + interval.toNanos();
    while (System.nanoTime() < end) {
      try {
        while (in.available() > 0) {
          int key = in.read();
          if (key == 'q' || key == 'Q') {
            return true;
          }
        }
      } catch (IOException e) {
        // No usable input: only Ctrl-C or --iterations end it.
      }
      TimeUnit.MILLISECONDS.sleep(Math.min(50, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
    }
    return false;
  }

  private void restore() {
    if (savedMode != null) {
      stty(savedMode);
    }
  }

  @Override
  public void close() {
    restore();
    if (restoreOnExit != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(restoreOnExit);
      } catch (IllegalStateException e) {
        // shutting down already: the hook runs
      }
    }
  }

  /** {@code stty <arguments>} on the controlling terminal; its output, or null when it failed. */
  private static String stty(String arguments) {
    try {
      Process p = new ProcessBuilder("sh", "-c", "stty " + arguments + " < /dev/tty").redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0 ? output : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
