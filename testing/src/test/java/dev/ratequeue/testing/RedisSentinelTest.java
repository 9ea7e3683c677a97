package dev.ratequeue.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSentinelTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void sentinelAnswersTheMasterAddress() throws IOException {
        try (RedisServer master = RedisServer.start();
             RedisSentinel sentinel = RedisSentinel.start(master, "mymaster");
             RespConnection connection = RespConnection.open(sentinel.host(), sentinel.port(), TIMEOUT)) {
            assertThat(connection.call("SENTINEL", "get-master-addr-by-name", "mymaster"))
                    .isEqualTo(List.of("127.0.0.1", Integer.toString(master.port())));
            assertThat(sentinel.port()).isNotEqualTo(master.port());
            assertThat(sentinel.uri()).isEqualTo("redis-sentinel://127.0.0.1:" + sentinel.port() + "#mymaster");
        }
    }

    @Test
    void sentinelWatchesAPasswordProtectedMaster() throws IOException {
        try (RedisServer master = RedisServer.builder().aclUser("app", "app pw").build();
             RedisSentinel sentinel = RedisSentinel.start(master, "guarded");
             RespConnection connection = RespConnection.open(sentinel.host(), sentinel.port(), TIMEOUT)) {
            Path workDir = sentinel.logFile().getParent();
            assertThat(sentinel.uri())
                    .isEqualTo("redis-sentinel://app:app%20pw@127.0.0.1:" + sentinel.port() + "#guarded");
            assertThat(sentinel.uriWithoutCredentials())
                    .isEqualTo("redis-sentinel://127.0.0.1:" + sentinel.port() + "#guarded");
            assertThat(connection.call("SENTINEL", "get-master-addr-by-name", "guarded"))
                    .isEqualTo(List.of("127.0.0.1", Integer.toString(master.port())));

            sentinel.stop();
            assertThat(workDir).doesNotExist();
        }
    }
}
