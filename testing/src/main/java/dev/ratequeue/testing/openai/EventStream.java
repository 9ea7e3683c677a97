package dev.ratequeue.testing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@code text/event-stream} body as OpenAI sends it: {@code data: <json>} events, each flushed on its own, a
 * {@code gap} between two, and {@code data: [DONE]} at the end.
 */
public final class EventStream {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final long gapNanos;
    private boolean first = true;

    public EventStream(OutputStream out, long gapNanos) {
        this.out = out;
        this.gapNanos = gapNanos;
    }

    public void send(JsonNode event) throws IOException {
        pause();
        out.write("data: ".getBytes(StandardCharsets.US_ASCII));
        out.write(Json.bytes(event));
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    public void done() throws IOException {
        pause();
        out.write(DONE);
        out.flush();
    }

    private void pause() throws IOException {
        if (first) {
            first = false;
            return;
        }
        if (gapNanos <= 0) {
            return;
        }
        try {
            Thread.sleep(gapNanos / 1_000_000, (int) (gapNanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted between two events of a stream", e);
        }
    }
}
