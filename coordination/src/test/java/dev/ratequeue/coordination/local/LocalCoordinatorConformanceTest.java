package dev.ratequeue.coordination.local;

import dev.ratequeue.coordination.Coordinator;
import dev.ratequeue.coordination.CoordinatorConformanceTest;

class LocalCoordinatorConformanceTest extends CoordinatorConformanceTest {
  @Override
  protected Coordinator newCoordinator() {
    return Coordinator.local();
  }
}
