package dev.ratequeue.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Redis for a whole test class, started before its first test and stopped after its
 * last: {@code @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();}
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("Redis is started before the class's first test; register the extension "
                    + "on a static field");
        }
        return server;
    }

    public String uri() {
        return server().uri();
    }
}
