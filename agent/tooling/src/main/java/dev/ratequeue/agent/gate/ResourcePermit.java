package dev.ratequeue.agent.gate;

import dev.ratequeue.bootstrap.BodyTail;
import dev.ratequeue.bootstrap.CallPermit;
import dev.ratequeue.coordination.Permit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** An engine permit as instrumented code holds it. */
final class ResourcePermit implements CallPermit {
  private final ResourceRoute route;
  private final Permit permit;
  private final AtomicBoolean closed = new AtomicBoolean();

  ResourcePermit(ResourceRoute route, Permit permit) {
    this.route = route;
    this.permit = permit;
  }

  @Override
  public int responded(int status, Function<String, String> headers) {
    route.responded(status, headers);
    return 0;
  }

  @Override
  public void bodyEnded(BodyTail tail) {}

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        permit.close();
      } catch (RuntimeException e) {
        route.bridge().internalError("closing a permit of " + route.resource(), e);
      }
    }
  }
}
