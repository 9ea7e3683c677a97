package dev.ratequeue.agent.cli;

import dev.ratequeue.coordination.admin.FleetAdmin;
import dev.ratequeue.coordination.admin.FleetClient;
import dev.ratequeue.coordination.admin.ResourceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Everything {@code status} and {@code top} show, read in one go. */
final class FleetStatus {
  final String coordinator;
  final String namespace;
  final Instant takenAt;
  final List<ResourceState> resources;
  final List<FleetClient> clients;

  private FleetStatus(String coordinator, String namespace, List<ResourceState> resources, List<FleetClient> clients) {
    this.coordinator = coordinator;
    this.namespace = namespace;
    this.takenAt = Instant.now();
    this.resources = resources;
    this.clients = clients;
  }

  static FleetStatus read(FleetAdmin admin, String namespace) {
    List<ResourceState> states = new ArrayList<>();
    for (String name : admin.resources()) {
      admin.resource(name).ifPresent(states::add); // gone between the scan and now: not shown
    }
    return new FleetStatus(admin.describe(), namespace, states, admin.clients());
  }
}
