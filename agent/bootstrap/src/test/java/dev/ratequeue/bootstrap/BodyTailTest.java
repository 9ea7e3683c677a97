package dev.ratequeue.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyTailTest {
  private static String text(BodyTail t) {
    return new String(t.bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void keepsTheLastBytesInOrderHoweverTheyWereWritten() {
    BodyTail tail = new BodyTail(8);
    tail.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
    assertThat(text(tail)).isEqualTo("abc");
    tail.write("defghij".getBytes(StandardCharsets.UTF_8), 0, 7);
    assertThat(text(tail)).isEqualTo("cdefghij");
    tail.write('k');
    ByteBuffer buffer = ByteBuffer.wrap("xxlmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8));
    buffer.position(2);
    tail.write(buffer);
    assertThat(buffer.position()).as("the application's buffer is left as it was").isEqualTo(2);
    assertThat(text(tail)).isEqualTo("stuvwxyz");
    assertThat(tail.total()).isEqualTo(3 + 7 + 1 + 15);
  }

  @Test
  void aWriteLargerThanTheRingKeepsItsEnd() {
    BodyTail tail = new BodyTail(4);
    tail.write("0123456789".getBytes(StandardCharsets.UTF_8), 2, 8);
    assertThat(text(tail)).isEqualTo("6789");
  }
}
