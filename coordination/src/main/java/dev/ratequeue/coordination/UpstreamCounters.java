package dev.ratequeue.coordination;

/**
 * What the upstream did to this JVM's calls of a resource, as its caller (the agent) saw it: the engine grants
 * permits, but only the HTTP client sees the 429s. A coordinator that shares telemetry publishes these counts
 * beside its own stats, so the fleet's view ({@code FleetAdmin}) can add them up across JVMs.
 */
public interface UpstreamCounters {
  UpstreamCounters NONE = new UpstreamCounters() {
    @Override
    public long upstreamRefusals() {
      return 0;
    }

    @Override
    public long pauses() {
      return 0;
    }
  };

  /** Calls the upstream refused for being over its limit (HTTP 429, or 503 with Retry-After), since start. */
  long upstreamRefusals();

  /** Pauses this JVM asked of the coordinator after a refusal, since start. */
  long pauses();
}
