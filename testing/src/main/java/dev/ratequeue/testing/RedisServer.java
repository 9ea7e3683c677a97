package dev.ratequeue.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
 */
public final class RedisServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration RESTART_BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESTART_BIND_PAUSE = Duration.ofMillis(200);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final Path binary;
    private final int port;
    private final String password;
    private final List<AclUser> aclUsers;
    private final List<String> extraArgs;

    private Path workDir;
    private RedisProcess process;

    private RedisServer(Path binary, int port, Builder settings) {
        this.binary = binary;
        this.port = port;
        this.password = settings.password;
        this.aclUsers = List.copyOf(settings.aclUsers);
        this.extraArgs = List.copyOf(settings.extraArgs);
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
     * percent-encoded.
     */
    public String uri() {
        return RedisUris.standalone(HOST, port, authUser(), authPassword());
    }

    /** {@code redis://127.0.0.1:<port>}, for clients that are given credentials some other way. */
    public String uriWithoutCredentials() {
        return RedisUris.standalone(HOST, port, null, null);
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
        return "RedisServer[" + HOST + ":" + port + "]";
    }

    /** The credentials a client (or a Sentinel watching this server) should use; null when there are none. */
    String authUser() {
        return aclUsers.isEmpty() ? null : aclUsers.get(0).name;
    }

    String authPassword() {
        return aclUsers.isEmpty() ? password : aclUsers.get(0).password;
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
        List<String> command = new ArrayList<>(Arrays.asList(binary.toString(), config.toString(),
                "--port", Integer.toString(port),
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
            config.directive("user", user.name, "on", ">" + user.password, "~*", "&*", "+@all");
        }
        return config.writeTo(file);
    }

    /**
     * A PING answer alone could come from a stranger that grabbed the port while this server failed to bind
     * it, so the server's own log must also say it is listening.
     */
    private boolean isReady(String logSinceLaunch) throws IOException {
        if (!logSinceLaunch.contains("Ready to accept connections")) {
            return false;
        }
        try (RespConnection connection = RespConnection.open(HOST, port, PROBE_TIMEOUT)) {
            Object reply = connection.call("PING");
            return "PONG".equals(reply)
                    || reply instanceof RespError && ((RespError) reply).code().equals("NOAUTH");
        }
    }

    private static final class AclUser {
        final String name;
        final String password;

        AclUser(String name, String password) {
            this.name = name;
            this.password = password;
        }
    }

    /** Settings for a server; {@link #build()} starts it. */
    public static final class Builder {

        private String password;
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
            requireNonEmpty(user, "user");
            if (user.chars().anyMatch(c -> Character.isWhitespace(c) || c == 0)) {
                throw new IllegalArgumentException("Redis user names cannot contain spaces: '" + user + "'");
            }
            aclUsers.add(new AclUser(user, requireNonEmpty(password, "password")));
            return this;
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
