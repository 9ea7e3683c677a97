package dev.ratequeue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisServerTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @BeforeEach
    void requireTls() {
        Optional<String> reason = RedisServer.tlsUnavailableReason();
        assumeTrue(reason.isEmpty(), () -> "No TLS Redis here: " + reason.orElse(""));
    }

    @Test
    void servesTlsOnlyWithACertificateTheTrustStoreVouchesFor() throws Exception {
        try (RedisServer redis = RedisServer.builder().tls().build()) {
            assertThat(redis.isTls()).isTrue();
            assertThat(redis.uri()).isEqualTo("rediss://127.0.0.1:" + redis.port());
            assertThat(redis.toString()).contains("TLS");
            try (RespConnection connection = redis.openConnection(TIMEOUT)) {
                assertThat(connection.call("PING")).isEqualTo("PONG");
                assertThat(connection.call("CONFIG", "GET", "port")).isEqualTo(java.util.List.of("port", "0"));
            }

            // Plain RESP on the TLS port gets no answer: Redis reads it as a broken handshake and hangs up.
            assertThatThrownBy(() -> {
                try (RespConnection plain = RespConnection.open(redis.host(), redis.port(), Duration.ofSeconds(1))) {
                    plain.call("PING");
                }
            }).isInstanceOf(IOException.class);

            // The JDK's own CA list does not know the throwaway CA: verification really happens.
            SSLContext jdkDefaults = SSLContext.getInstance("TLS");
            jdkDefaults.init(null, null, null);
            assertThatThrownBy(() -> RespConnection.openTls(redis.host(), redis.port(), TIMEOUT, jdkDefaults))
                    .isInstanceOf(SSLException.class);

            KeyStore trustStore = KeyStore.getInstance(redis.tlsTrustStoreType());
            try (InputStream in = Files.newInputStream(redis.tlsTrustStore())) {
                trustStore.load(in, redis.tlsTrustStorePassword().toCharArray());
            }
            assertThat(trustStore.size()).isEqualTo(1);
            X509Certificate ca = (X509Certificate) trustStore.getCertificate(trustStore.aliases().nextElement());
            assertThat(ca.getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);
            assertThat(Files.readString(redis.tlsCaCertificate(), StandardCharsets.US_ASCII))
                    .startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(redis.tlsTrustStoreSystemProperties()).containsOnlyKeys("javax.net.ssl.trustStore",
                    "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType");
        }
    }

    @Test
    void passwordAndRestartWorkOverTls() throws IOException {
        try (RedisServer redis = RedisServer.builder().tls().password("tls pw").build()) {
            assertThat(redis.uri()).isEqualTo("rediss://:tls%20pw@127.0.0.1:" + redis.port());
            redis.kill();
            redis.restart();
            try (RespConnection connection = redis.openConnection(TIMEOUT)) {
                assertThat(((RespError) connection.call("PING")).code()).isEqualTo("NOAUTH");
                assertThat(connection.call("AUTH", "tls pw")).isEqualTo("OK");
                assertThat(connection.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void certificatesMadeByKeytoolWorkToo() throws IOException {
        assumeTrue(TlsMaterial.keytool().isPresent(), "no keytool in this JDK");
        TlsMaterial material = TlsMaterial.create("keytool");
        try (RedisServer redis = RedisServer.builder().tls(material).build();
             RespConnection connection = redis.openConnection(TIMEOUT)) {
            assertThat(material.madeWith).isEqualTo("keytool");
            assertThat(Files.readString(material.serverKey, StandardCharsets.US_ASCII))
                    .startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(connection.call("PING")).isEqualTo("PONG");
        } finally {
            TempDirs.deleteQuietly(material.directory);
        }
    }

    @Test
    void certificatesMadeByOpensslWork() throws IOException {
        assumeTrue(TlsMaterial.openssl().isPresent(), "no openssl on PATH");
        TlsMaterial material = TlsMaterial.create("openssl");
        try (RedisServer redis = RedisServer.builder().tls(material).build();
             RespConnection connection = redis.openConnection(TIMEOUT)) {
            assertThat(connection.call("PING")).isEqualTo("PONG");
        } finally {
            TempDirs.deleteQuietly(material.directory);
        }
    }

    @Test
    void aSentinelCannotWatchATlsMaster() {
        try (RedisServer redis = RedisServer.builder().tls().build()) {
            assertThatThrownBy(() -> RedisSentinel.start(redis, "m"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLS");
        }
    }
}
