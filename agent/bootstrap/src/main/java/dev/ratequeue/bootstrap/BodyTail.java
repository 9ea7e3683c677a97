package dev.ratequeue.bootstrap;

import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The last bytes of a response body the application read, kept as it reads (a ring of fixed size):
 * where an API reports what a call really cost ({@code usage} at the end of a completion, or in the
 * last event of a stream), without RateQueue reading anything the application would not.
 */
public final class BodyTail extends OutputStream {
  private final byte[] ring;
  private long written;

  public BodyTail(int capacity) {
    this.ring = new byte[Math.max(1, capacity)];
  }

  @Override
  public synchronized void write(int b) {
    ring[(int) (written++ % ring.length)] = (byte) b;
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int skip = Math.max(0, len - ring.length); // only the last ring.length bytes can stay
    written += skip;
    for (int i = off + skip; i < off + len; i++) {
      ring[(int) (written++ % ring.length)] = b[i];
    }
  }

  /** What {@code buffer} holds from its position to its limit; the buffer itself is left as it was. */
  public synchronized void write(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    while (b.hasRemaining()) {
      ring[(int) (written++ % ring.length)] = b.get();
    }
  }

  /** The last bytes written, oldest first (at most the capacity). */
  public synchronized byte[] bytes() {
    int n = (int) Math.min(written, ring.length);
    byte[] out = new byte[n];
    int start = (int) ((written - n) % ring.length);
    for (int i = 0; i < n; i++) {
      out[i] = ring[(start + i) % ring.length];
    }
    return out;
  }

  /** All bytes ever written, including those the ring no longer holds. */
  public synchronized long total() {
    return written;
  }
}
