package dev.ratequeue.testing;

/**
 * A TLS server was asked for but cannot be had here: the redis-server binary was built without TLS, or no tool to
 * make certificates ({@code openssl}, or the JDK's {@code keytool}) is available. The message says which. Tests
 * turn it into a skipped test, see {@link RedisServer#tlsUnavailableReason()}.
 */
public final class TlsUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    TlsUnavailableException(String message) {
        super(message);
    }
}
