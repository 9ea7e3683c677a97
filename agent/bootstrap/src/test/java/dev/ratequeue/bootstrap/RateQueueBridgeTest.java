package dev.ratequeue.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateQueueBridgeTest {
  private final List<String> asked = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  @AfterEach
  void uninstall() {
    RateQueueBridge.install(Bridge.OFF);
  }

  private void install(boolean throwing) {
    RateQueueBridge.install(new Bridge() {
      @Override
      public Route route(String host, int port, String path) {
        asked.add(host + ":" + port + path);
        if (throwing) {
          throw new IllegalStateException("bug");
        }
        return null;
      }

      @Override
      public Route resource(String name) {
        return null;
      }

      @Override
      public void internalError(String where, Throwable error) {
        errors.add(where + ": " + error.getMessage());
      }
    });
  }

  @Test
  void hostsAreLowerCaseWithoutBracketsAndPortsDefaultByScheme() {
    install(false);
    RateQueueBridge.route("https", "API.Example.com", -1, "");
    RateQueueBridge.route("http", "[::1]", -1, "/v1");
    RateQueueBridge.route("HTTPS", "h", 8443, null);
    assertThat(asked).containsExactly("api.example.com:443/", "::1:80/v1", "h:8443/");
  }

  @Test
  void theAgentsOwnFailureLetsTheCallThrough() {
    install(true);
    assertThat(RateQueueBridge.route("http", "h", 80, "/")).isNull();
    assertThat(errors).containsExactly("route: bug");
  }

  @Test
  void withoutTheAgentNothingIsMapped() {
    assertThat(RateQueueBridge.route("http", "api.openai.com", 443, "/")).isNull();
    assertThat(RateQueueBridge.enterMethod("openai", 1, 0, "m", false)).isNull();
  }

  @Test
  void aMethodPermitHeldByACompletionStageEndsWhenItCompletes() {
    List<String> closed = new ArrayList<>();
    CallPermit permit = new CallPermit() {
      @Override
      public int responded(int status, java.util.function.Function<String, String> headers) {
        return 0;
      }

      @Override
      public void bodyEnded(BodyTail tail) {}

      @Override
      public void close() {
        closed.add("closed");
      }
    };
    MethodPermit method = new MethodPermit(permit, CallScope.enterHolding("r"));
    CompletableFuture<String> work = new CompletableFuture<>();
    method.exit(work);
    assertThat(closed).isEmpty();
    assertThat(CallScope.current().holds("r")).as("the scope ends with the method").isFalse();
    work.complete("done");
    assertThat(closed).containsExactly("closed");
  }
}
