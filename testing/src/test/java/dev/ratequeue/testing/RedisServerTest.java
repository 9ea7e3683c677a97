package dev.ratequeue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void answersPingOverRawResp() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(call(redis, "PING")).isEqualTo("PONG");
            assertThat(redis.host()).isEqualTo("127.0.0.1");
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.uriWithoutCredentials()).isEqualTo(redis.uri());
            assertThat(redis.version()).matches("\\d+\\.\\d+\\.\\d+");
            assertThat(redis.pid()).isEqualTo(Long.parseLong(infoField(redis, "process_id")));
        }
    }

    @Test
    void killClosesThePortAndRestartComesBackOnTheSamePort() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            long firstPid = redis.pid();
            assertThat(call(redis, "SET", "k", "v")).isEqualTo("OK");

            redis.kill();

            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> RespConnection.open("127.0.0.1", port, TIMEOUT))
                    .isInstanceOf(ConnectException.class);

            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.pid()).isNotEqualTo(firstPid);
            assertThat(call(redis, "PING")).isEqualTo("PONG");
            assertThat(call(redis, "GET", "k")).as("a restarted server starts empty").isNull();
        }
    }

    @Test
    void restartWaitsForAPortSomeoneElseHoldsForAMoment() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            redis.stop();
            ServerSocket squatter = new ServerSocket(redis.port(), 1, InetAddress.getByName("127.0.0.1"));
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(700);
                    squatter.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            redis.restart();

            release.get(5, TimeUnit.SECONDS);
            assertThat(call(redis, "PING")).isEqualTo("PONG");
            assertThat(Files.readString(redis.logFile())).contains("Address already in use");
        }
    }

    @Test
    void stopIsIdempotentAndRemovesTheWorkingDirectory() {
        RedisServer redis = RedisServer.start();
        Path workDir = redis.logFile().getParent();
        assertThat(workDir).isDirectory();

        redis.stop();
        redis.stop();
        redis.close();

        assertThat(redis.isRunning()).isFalse();
        assertThat(workDir).doesNotExist();
    }

    @Test
    void passwordServerRefusesUnauthenticatedPing() throws IOException {
        String password = "s3cret pass";
        try (RedisServer redis = RedisServer.builder().password(password).build();
             RespConnection connection = RespConnection.open(redis.host(), redis.port(), TIMEOUT)) {
            Object refused = connection.call("PING");
            assertThat(refused).isInstanceOf(RespError.class);
            assertThat(((RespError) refused).code()).isEqualTo("NOAUTH");

            assertThat(connection.call("AUTH", password)).isEqualTo("OK");
            assertThat(connection.call("PING")).isEqualTo("PONG");
            assertThat(redis.uri()).isEqualTo("redis://:s3cret%20pass@127.0.0.1:" + redis.port());
            assertThat(redis.uriWithoutCredentials()).isEqualTo("redis://127.0.0.1:" + redis.port());
        }
    }

    @Test
    void aclUserCanAuthenticateWithUserAndPassword() throws IOException {
        String password = "p@ss \"word\" #1";
        try (RedisServer redis = RedisServer.builder().aclUser("alice", password).build();
             RespConnection connection = RespConnection.open(redis.host(), redis.port(), TIMEOUT)) {
            Object wrong = connection.call("AUTH", "alice", "nope");
            assertThat(wrong).isInstanceOf(RespError.class);
            assertThat(((RespError) wrong).code()).isEqualTo("WRONGPASS");

            assertThat(connection.call("AUTH", "alice", password)).isEqualTo("OK");
            assertThat(connection.call("ACL", "WHOAMI")).isEqualTo("alice");
            assertThat(connection.call("SET", "k", "v")).isEqualTo("OK");
            assertThat(redis.uri())
                    .isEqualTo("redis://alice:p%40ss%20%22word%22%20%231@127.0.0.1:" + redis.port());
        }
    }

    @Test
    void aclUserWithRulesIsAllowedOnlyWhatTheyGrant() throws IOException {
        try (RedisServer redis = RedisServer.builder()
                .aclUser("app", "app pw", "resetchannels", "~app:*", "&app:*", "+get", "+set", "+publish").build();
             RespConnection connection = RespConnection.open(redis.host(), redis.port(), TIMEOUT)) {
            assertThat(connection.call("AUTH", "app", "app pw")).isEqualTo("OK");
            assertThat(connection.call("SET", "app:k", "v")).isEqualTo("OK");
            assertThat(connection.call("GET", "app:k")).isEqualTo("v");
            assertThat(connection.call("PUBLISH", "app:news", "hi")).isEqualTo(0L);
            assertThat(((RespError) connection.call("SET", "other", "v")).code()).isEqualTo("NOPERM");
            assertThat(((RespError) connection.call("DEL", "app:k")).code()).isEqualTo("NOPERM");
            assertThat(((RespError) connection.call("PUBLISH", "other", "hi")).code()).isEqualTo("NOPERM");
            assertThat(redis.uri()).isEqualTo("redis://app:app%20pw@127.0.0.1:" + redis.port());
        }
        assertThatThrownBy(() -> RedisServer.builder().aclUser("app", "pw", "+get +set"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recognisesTheStartupLogOfARedisBuiltWithoutTls() {
        String redis62 = "*** FATAL CONFIG FILE ERROR (Redis 6.2.14) ***\n"
                + "Reading the configuration file, at line 9\n"
                + ">>> 'tls-port \"6380\"'\n"
                + "Bad directive or wrong number of arguments\n";
        assertThat(RedisProcess.tlsNotBuiltIn(redis62)).hasValueSatisfying(why -> assertThat(why)
                .contains("tls-port").contains("Bad directive"));
        assertThat(RedisProcess.tlsNotBuiltIn("# Missing implement of connection type tls\n")).isPresent();
        assertThat(RedisProcess.tlsNotBuiltIn(">>> 'maxmemory \"x\"'\nBad directive or wrong number of arguments\n"))
                .isEmpty();
        assertThat(RedisProcess.tlsNotBuiltIn("# Failed to load certificate: /x/server.crt\n")).isEmpty();
    }

    @Test
    void extraArgumentsReachTheServer() throws IOException {
        try (RedisServer redis = RedisServer.builder().arg("--maxmemory", "10mb").build()) {
            assertThat(call(redis, "CONFIG", "GET", "maxmemory")).isEqualTo(List.of("maxmemory", "10485760"));
        }
    }

    @Test
    void locatesABinaryThatRuns() {
        Path binary = RedisServer.locateBinary();
        assertThat(binary).isExecutable();
        assertThat(RedisServer.locateBinary()).as("extracted once, then reused").isEqualTo(binary);
    }

    private static Object call(RedisServer redis, String... command) throws IOException {
        try (RespConnection connection = RespConnection.open(redis.host(), redis.port(), TIMEOUT)) {
            return connection.call(command);
        }
    }

    private static String infoField(RedisServer redis, String field) throws IOException {
        String info = (String) call(redis, "INFO", "server");
        return info.lines()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).trim())
                .findFirst()
                .orElseThrow();
    }
}
