package dev.ratequeue.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CallScopeTest {
  @Test
  void scopesNestAndRestoreTheOuterOne() {
    assertThat(CallScope.current()).isSameAs(CallScope.NONE);
    Object outer = CallScope.enter(5, CallScope.DEFAULT_LOAD);
    try {
      assertThat(CallScope.current().priority()).isEqualTo(5);
      Object inner = CallScope.enter(CallScope.DEFAULT_PRIORITY, 300);
      try {
        assertThat(CallScope.current().priority()).as("kept from the outer scope").isEqualTo(5);
        assertThat(CallScope.current().load()).isEqualTo(300);
      } finally {
        CallScope.exit(inner);
      }
      assertThat(CallScope.current().load()).isEqualTo(CallScope.DEFAULT_LOAD);
    } finally {
      CallScope.exit(outer);
    }
    assertThat(CallScope.current()).isSameAs(CallScope.NONE);
  }

  @Test
  void aScopeBelongsToItsThread() throws Exception {
    Object previous = CallScope.enter(9, 1);
    try {
      assertThat(CompletableFuture.supplyAsync(() -> CallScope.current().priority()).get())
          .isEqualTo(CallScope.DEFAULT_PRIORITY);
    } finally {
      CallScope.exit(previous);
    }
  }

  @Test
  void aHeldResourceIsSeenByNestedCallsOnly() {
    Object previous = CallScope.enterHolding("openai");
    try {
      assertThat(CallScope.current().holds("openai")).isTrue();
      assertThat(CallScope.current().holds("github")).isFalse();
    } finally {
      CallScope.exit(previous);
    }
    assertThat(CallScope.current().holds("openai")).isFalse();
  }
}
