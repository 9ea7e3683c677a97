package dev.ratequeue.agent.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the page shows when the status cannot be read (the coordinator is unreachable, say). */
final class StatusError {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusError() {}

  static byte[] json(RuntimeException failure) {
    ObjectNode error = JSON.createObjectNode();
    String message = failure.getMessage();
    error.put("error", message == null ? failure.getClass().getSimpleName() : message);
    try {
      return JSON.writeValueAsBytes(error);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return "{\"error\":\"status unavailable\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
