package dev.ratequeue.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A real {@code redis-server} process on a free loopback port, in a temporary working directory of its own.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisClient client = RedisClient.create(redis.uri());
 *     ...
 * }
 * }</pre>
 *
 * <p>The binary is the {@code redis-server} found on PATH, or else the Linux amd64 build carried by
 * {@code com.github.codemonstur:embedded-redis} (see {@link #locateBinary()}). Persistence is off and the server
 * listens on 127.0.0.1 only. Its output goes to {@link #logFile()}; when it fails to start, the exception
 * quotes the end of that log.
 *
 * <p>Outage tests use {@link #kill()} or {@link #stop()} and later {@link #restart()}, which brings a fresh,
 * empty server back on the same port with the same settings. Whatever is still running when the JVM exits is
 * killed by a shutdown hook.
 *
 * <h2>TLS</h2>
 * {@link Builder#tls()} makes a server that speaks only TLS ({@code --tls-port <port> --port 0
 * --tls-auth-clients no}), with a certificate for {@code 127.0.0.1} and {@code localhost} signed by a throwaway CA
 * made once per JVM. {@link #uri()} is then {@code rediss://...}, and clients trust the CA through
 * {@link #tlsTrustStore()} (PKCS12, see {@link #tlsTrustStoreSystemProperties()}) or {@link #tlsCaCertificate()}
 * (PEM). Not every redis-server can serve TLS: check {@link #tlsUnavailableReason()} first, e.g.
 * <pre>{@code
 * assumeTrue(RedisServer.tlsUnavailableReason().isEmpty(), () -> RedisServer.tlsUnavailableReason().get());
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration RESTART_BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESTART_BIND_PAUSE = Duration.ofMillis(200);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Map<Path, Optional<String>> TLS_SUPPORT = new HashMap<>();

    private final Path binary;
    private final int port;
    private final String password;
    private final List<AclUser> aclUsers;
    private final List<String> extraArgs;
    private final TlsMaterial tls;

    private Path workDir;
    private RedisProcess process;

    private RedisServer(Path binary, int port, Builder settings) {
        this.binary = binary;
        this.port = port;
        this.password = settings.password;
        this.aclUsers = List.copyOf(settings.aclUsers);
        this.extraArgs = List.copyOf(settings.extraArgs);
        this.tls = !settings.tls ? null : settings.tlsMaterial != null ? settings.tlsMaterial : TlsMaterial.get();
    }

    /** Starts a server with no authentication. */
    public static RedisServer start() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code redis-server} that servers run: the first executable one in a PATH directory, otherwise the
     * classpath resource {@code /redis-server-6.2.6-v5-linux-amd64} of
     * {@code com.github.codemonstur:embedded-redis:1.4.3}, extracted once per JVM to a temporary file.
     *
     * @throws IllegalStateException if neither is available
     */
    public static Path locateBinary() {
        return RedisBinary.locate();
    }

    /**
     * Why {@link Builder#tls()} servers cannot be had here, or empty when they can. Found out once per binary by
     * starting one: the binary may have been built without TLS, or there may be no {@code openssl} on PATH and no
     * {@code keytool} in the JDK to make certificates. Any other failure to start is thrown, not returned, so a
     * broken setup fails the test instead of skipping it.
     */
    public static synchronized Optional<String> tlsUnavailableReason() {
        Path binary = RedisBinary.locate();
        Optional<String> known = TLS_SUPPORT.get(binary);
        if (known == null) {
            try (RedisServer probe = builder().tls().build()) {
                known = Optional.empty();
            } catch (TlsUnavailableException e) {
                known = Optional.of(e.getMessage());
            }
            TLS_SUPPORT.put(binary, known);
        }
        return known;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /**
     * Where to connect, with credentials when the server has any: {@code redis://127.0.0.1:6379},
     * {@code redis://:password@127.0.0.1:6379} for {@link Builder#password}, or
     * {@code redis://user:password@127.0.0.1:6379} for the first {@link Builder#aclUser}. User and password are
     * percent-encoded. The scheme is {@code rediss://} for a {@link Builder#tls()} server.
     */
    public String uri() {
        return RedisUris.standalone(isTls(), HOST, port, authUser(), authPassword());
    }

    /** {@code redis://127.0.0.1:<port>} ({@code rediss://} with TLS), for clients given credentials some other way. */
    public String uriWithoutCredentials() {
        return RedisUris.standalone(isTls(), HOST, port, null, null);
    }

    /** Whether this server speaks only TLS ({@link Builder#tls()}). */
    public boolean isTls() {
        return tls != null;
    }

    /** The throwaway CA's certificate (PEM) that signed this TLS server's certificate. */
    public Path tlsCaCertificate() {
        return requireTls().caCertificate;
    }

    /** A PKCS12 trust store holding only the throwaway CA, protected by {@link #tlsTrustStorePassword()}. */
    public Path tlsTrustStore() {
        return requireTls().trustStore;
    }

    /**
     * The trust store's password. The JDK cannot read certificates out of a password-protected PKCS12 store
     * without it (it then fails with "the trustAnchors parameter must be non-empty").
     */
    public String tlsTrustStorePassword() {
        return requireTls().trustStorePassword;
    }

    /** {@code PKCS12}. */
    public String tlsTrustStoreType() {
        requireTls();
        return TlsMaterial.TRUST_STORE_TYPE;
    }

    /**
     * {@code javax.net.ssl.trustStore}, {@code javax.net.ssl.trustStorePassword} and
     * {@code javax.net.ssl.trustStoreType} for the trust store: what a JVM (e.g. a {@link WorkerJvm}, via
     * {@code -D}) needs so that its default trust managers, and so Lettuce's {@code rediss://} connections, trust
     * this server. They replace the JDK's own CA list for that JVM.
     */
    public Map<String, String> tlsTrustStoreSystemProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("javax.net.ssl.trustStore", tlsTrustStore().toString());
        properties.put("javax.net.ssl.trustStorePassword", tlsTrustStorePassword());
        properties.put("javax.net.ssl.trustStoreType", tlsTrustStoreType());
        return properties;
    }

    /** An SSL context that trusts the throwaway CA only, for clients built in this JVM. */
    public SSLContext tlsClientContext() {
        return requireTls().clientContext();
    }

    /**
     * A raw RESP connection to this server, over TLS (verifying its certificate) when it is a TLS server. It is not
     * authenticated: send {@code AUTH} first when the server has credentials.
     */
    public RespConnection openConnection(Duration timeout) throws IOException {
        return tls == null ? RespConnection.open(HOST, port, timeout)
                : RespConnection.openTls(HOST, port, timeout, tls.clientContext());
    }

    /**
     * The version the binary reports, e.g. {@code 7.0.15}. The bundled binary reports {@code 6.2.11} although its
     * resource name says 6.2.6.
     */
    public String version() {
        return RedisBinary.version(binary);
    }

    /** The pid of the current process, or of the last one if the server is not running. */
    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process.isAlive();
    }

    /** Everything the server printed, across restarts. Deleted by {@link #stop()}. */
    public synchronized Path logFile() {
        return workDir.resolve("redis.log");
    }

    /** Gracefully ends the server and deletes its working directory. Safe to call more than once. */
    public synchronized void stop() {
        if (process != null) {
            process.stop();
        }
        Reaper.untrackDirectory(workDir);
        TempDirs.deleteQuietly(workDir);
    }

    /**
     * SIGKILL, as a crash would: no shutdown, connections are cut. Returns once the process has exited, so the
     * port is closed. The working directory is kept for {@link #restart()}.
     */
    public synchronized void kill() {
        process.kill();
    }

    /**
     * Starts a new, empty server on the same port with the same settings, stopping the current one first if it
     * is still running. Something else may hold the port for a moment (a lingering socket, or another test that
     * picked it in the meantime), so binding is retried for up to 10 seconds.
     */
    public synchronized void restart() {
        if (process.isAlive()) {
            process.stop();
        }
        long deadline = System.nanoTime() + RESTART_BIND_TIMEOUT.toNanos();
        while (true) {
            try {
                launch();
                return;
            } catch (PortInUseException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Port " + port + " stayed in use for "
                            + RESTART_BIND_TIMEOUT.toSeconds() + " s; could not restart redis-server", e);
                }
                RedisProcess.sleep(RESTART_BIND_PAUSE);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "RedisServer[" + HOST + ":" + port + (isTls() ? " TLS" : "") + "]";
    }

    /** The credentials a client (or a Sentinel watching this server) should use; null when there are none. */
    String authUser() {
        return aclUsers.isEmpty() ? null : aclUsers.get(0).name;
    }

    String authPassword() {
        return aclUsers.isEmpty() ? password : aclUsers.get(0).password;
    }

    private TlsMaterial requireTls() {
        if (tls == null) {
            throw new IllegalStateException(this + " does not speak TLS: build it with RedisServer.builder().tls()");
        }
        return tls;
    }

    private static RedisServer startOnFreePort(Builder settings) {
        Path binary = RedisBinary.locate();
        PortInUseException lastFailure = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            RedisServer server = new RedisServer(binary, FreePort.find(), settings);
            try {
                server.launch();
                return server;
            } catch (PortInUseException e) {
                // Someone took the port between FreePort and redis-server's bind: try another one.
                server.stop();
                lastFailure = e;
            } catch (RuntimeException e) {
                server.stop();
                throw e;
            }
        }
        throw new IllegalStateException("redis-server could not bind a free port in " + PORT_ATTEMPTS + " attempts",
                lastFailure);
    }

    private void launch() {
        if (workDir == null || !workDir.toFile().isDirectory()) {
            workDir = TempDirs.create("ratequeue-redis-");
            Reaper.trackDirectory(workDir);
        }
        Path config = writeConfig(workDir.resolve("redis.conf"));
        List<String> command = new ArrayList<>(Arrays.asList(binary.toString(), config.toString()));
        if (tls == null) {
            command.addAll(Arrays.asList("--port", Integer.toString(port)));
        } else {
            // TLS only: no plain port, and clients need no certificate of their own.
            command.addAll(Arrays.asList("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-auth-clients", "no"));
        }
        command.addAll(Arrays.asList(
                "--bind", HOST,
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--protected-mode", "no"));
        command.addAll(extraArgs);
        process = RedisProcess.launch(command, workDir, logFile(), this::isReady);
    }

    private Path writeConfig(Path file) {
        RedisConfigFile config = new RedisConfigFile();
        if (password != null) {
            config.directive("requirepass", password);
        }
        for (AclUser user : aclUsers) {
            List<String> rule = new ArrayList<>(Arrays.asList(user.name, "on", ">" + user.password));
            rule.addAll(user.rules);
            config.directive("user", rule.toArray(new String[0]));
        }
        if (tls != null) {
            // Paths go in the file, quoted, because temporary directories may contain spaces.
            config.directive("tls-cert-file", tls.serverCertificate.toString());
            config.directive("tls-key-file", tls.serverKey.toString());
            config.directive("tls-ca-cert-file", tls.caCertificate.toString());
        }
        return config.writeTo(file);
    }

    /**
     * A PING answer alone could come from a stranger that grabbed the port while this server failed to bind
     * it, so the server's own log must also say it is listening. A TLS server is asked over TLS, which also
     * proves that its certificate is trusted and names 127.0.0.1.
     */
    private boolean isReady(String logSinceLaunch) throws IOException {
        if (!logSinceLaunch.contains("Ready to accept connections")) {
            return false;
        }
        try (RespConnection connection = openConnection(PROBE_TIMEOUT)) {
            Object reply = connection.call("PING");
            return "PONG".equals(reply)
                    || reply instanceof RespError && ((RespError) reply).code().equals("NOAUTH");
        }
    }

    private static final class AclUser {
        final String name;
        final String password;
        final List<String> rules;

        AclUser(String name, String password, List<String> rules) {
            this.name = name;
            this.password = password;
            this.rules = List.copyOf(rules);
        }
    }

    /** Settings for a server; {@link #build()} starts it. */
    public static final class Builder {

        private String password;
        private boolean tls;
        private TlsMaterial tlsMaterial;
        private final List<AclUser> aclUsers = new ArrayList<>();
        private final List<String> extraArgs = new ArrayList<>();

        private Builder() {
        }

        /** Sets {@code requirepass}: the password of the {@code default} user. */
        public Builder password(String password) {
            this.password = requireNonEmpty(password, "password");
            return this;
        }

        /**
         * Adds an ACL user allowed everything ({@code user <name> on ><password> ~* &* +@all}). The first one
         * added is the one {@link RedisServer#uri()} names.
         */
        public Builder aclUser(String user, String password) {
            return aclUser(user, password, "~*", "&*", "+@all");
        }

        /**
         * Adds an ACL user with exactly {@code rules}, in {@code ACL SETUSER} syntax after {@code on >password},
         * e.g. {@code aclUser("app", "pw", "resetchannels", "~app:*", "&app:*", "+get")}. The user starts with no
         * keys and no commands; on Redis 6.2 it starts with every pub/sub channel, which {@code resetchannels}
         * takes away (Redis refuses a channel pattern added after all channels). The first user added is the one
         * {@link RedisServer#uri()} names.
         */
        public Builder aclUser(String user, String password, String... rules) {
            requireNonEmpty(user, "user");
            if (user.chars().anyMatch(c -> Character.isWhitespace(c) || c == 0)) {
                throw new IllegalArgumentException("Redis user names cannot contain spaces: '" + user + "'");
            }
            for (String rule : rules) {
                if (requireNonEmpty(rule, "rule").chars().anyMatch(c -> Character.isWhitespace(c) || c == 0)) {
                    throw new IllegalArgumentException("One ACL rule per argument, without spaces: '" + rule + "'");
                }
            }
            aclUsers.add(new AclUser(user, requireNonEmpty(password, "password"), Arrays.asList(rules)));
            return this;
        }

        /**
         * Serves TLS only, on the server's port, with a certificate for {@code 127.0.0.1}/{@code localhost} from a
         * throwaway CA (see the class comment). {@link #build()} then throws {@link TlsUnavailableException} when
         * the binary was built without TLS or no certificates can be made; {@link RedisServer#tlsUnavailableReason()}
         * tells that beforehand.
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** {@link #tls()} with certificates other than this JVM's shared ones: for tests of the fixture itself. */
        Builder tls(TlsMaterial material) {
            this.tlsMaterial = Objects.requireNonNull(material, "material");
            return tls();
        }

        /**
         * Extra command-line arguments, e.g. {@code arg("--maxmemory", "10mb")}. They come after the fixed ones,
         * so they win where Redis lets a later setting override an earlier one.
         */
        public Builder arg(String... args) {
            for (String arg : args) {
                extraArgs.add(Objects.requireNonNull(arg, "arg"));
            }
            return this;
        }

        /** Starts the server and returns once it answers PING. */
        public RedisServer build() {
            return startOnFreePort(this);
        }

        private static String requireNonEmpty(String value, String what) {
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(what + " must not be null or empty");
            }
            return value;
        }
    }
}
