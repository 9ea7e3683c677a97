package dev.ratequeue.coordination;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened (coordinators, admins, pending calls), closed after it, newest first, so that a JVM a test
 * started never outlives it. Registered per test instance: {@code @RegisterExtension final TestCloser closer = …}.
 */
public final class TestCloser implements AfterEachCallback {
  private final List<AutoCloseable> open = new ArrayList<>();

  /** Closed after the test; returned for use. */
  public <T extends AutoCloseable> T add(T closeable) {
    open.add(closeable);
    return closeable;
  }

  /** Closes one now, as a JVM that stops in the middle of a test. */
  public void closeNow(AutoCloseable closeable) throws Exception {
    open.remove(closeable);
    closeable.close();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    open.clear();
  }
}
