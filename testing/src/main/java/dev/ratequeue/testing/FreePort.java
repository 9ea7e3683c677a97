package dev.ratequeue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a loopback port that was free a moment ago.
 *
 * <p>The port is released before it is returned, so another process can take it in between: callers that
 * bind it must be ready to retry with another one.
 */
public final class FreePort {

    private FreePort() {
    }

    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free loopback port", e);
        }
    }
}
