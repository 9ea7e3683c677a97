package dev.ratequeue.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A real Redis Sentinel process watching one {@link RedisServer}, on a free loopback port of its own.
 *
 * <p>It runs the same binary as the server, with {@code --sentinel} and a generated config file that says
 * {@code sentinel monitor <masterName> 127.0.0.1 <master port> 1}. When the master has credentials, the Sentinel
 * is given them ({@code sentinel auth-user} / {@code sentinel auth-pass}) so it can watch it.
 *
 * <p>{@link #uri()} is in the syntax of Lettuce's {@code RedisURI.create} (checked against Lettuce 7.7):
 * <pre>
 * redis-sentinel://[[user]:password@]host[:port][,host2[:port2]...][/database]#masterName
 * </pre>
 * <ul>
 *   <li>the fragment is the master name; {@code ?sentinelMasterId=masterName} is the equivalent query form, and
 *       Lettuce rejects a sentinel URI that has neither;</li>
 *   <li>a host without a port means 26379;</li>
 *   <li>the user info is the credential for the <em>master</em> found through the Sentinels, not for the
 *       Sentinels themselves (Lettuce leaves those without credentials);</li>
 *   <li>user, password and master name are percent-decoded, and {@code +} is not a space.</li>
 * </ul>
 */
public final class RedisSentinel implements AutoCloseable {

    private static final int PORT_ATTEMPTS = 5;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final RedisServer master;
    private final String masterName;
    private final int port;
    private final Path workDir;
    private RedisProcess process;

    private RedisSentinel(RedisServer master, String masterName, int port) {
        this.master = master;
        this.masterName = masterName;
        this.port = port;
        this.workDir = TempDirs.create("ratequeue-sentinel-");
        Reaper.trackDirectory(workDir);
    }

    /**
     * Starts a Sentinel that monitors {@code master} under {@code masterName}, and returns once it answers
     * {@code SENTINEL get-master-addr-by-name} with the master's address.
     */
    public static RedisSentinel start(RedisServer master, String masterName) {
        Objects.requireNonNull(master, "master");
        if (master.isTls()) {
            throw new IllegalArgumentException("A Sentinel over TLS is not supported by this fixture: " + master
                    + " speaks only TLS, and the Sentinel would need tls-replication and TLS ports of its own");
        }
        if (masterName == null || masterName.isEmpty() || masterName.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("masterName must be non-empty without spaces: '" + masterName + "'");
        }
        Path binary = RedisServer.locateBinary();
        PortInUseException lastFailure = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            RedisSentinel sentinel = new RedisSentinel(master, masterName, FreePort.find());
            try {
                sentinel.launch(binary);
                return sentinel;
            } catch (PortInUseException e) {
                sentinel.stop();
                lastFailure = e;
            } catch (RuntimeException e) {
                sentinel.stop();
                throw e;
            }
        }
        throw new IllegalStateException("Sentinel could not bind a free port in " + PORT_ATTEMPTS + " attempts",
                lastFailure);
    }

    public String host() {
        return RedisServer.HOST;
    }

    public int port() {
        return port;
    }

    public String masterName() {
        return masterName;
    }

    public RedisServer master() {
        return master;
    }

    /**
     * {@code redis-sentinel://127.0.0.1:<port>#<masterName>}, with the master's credentials as user info when it
     * has any (see the class comment for the format).
     */
    public String uri() {
        return RedisUris.sentinel(RedisServer.HOST, port, masterName, master.authUser(), master.authPassword());
    }

    /** {@code redis-sentinel://127.0.0.1:<port>#<masterName>}. */
    public String uriWithoutCredentials() {
        return RedisUris.sentinel(RedisServer.HOST, port, masterName, null, null);
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** Everything the Sentinel printed. Deleted by {@link #stop()}. */
    public Path logFile() {
        return workDir.resolve("sentinel.log");
    }

    /** Ends the Sentinel and deletes its working directory. Safe to call more than once. */
    public synchronized void stop() {
        if (process != null) {
            process.stop();
        }
        Reaper.untrackDirectory(workDir);
        TempDirs.deleteQuietly(workDir);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "RedisSentinel[" + RedisServer.HOST + ":" + port + " watching " + masterName + "@" + master + "]";
    }

    private synchronized void launch(Path binary) {
        // Sentinel rewrites its config file as it learns about the topology, so the file must be its own.
        Path config = writeConfig(workDir.resolve("sentinel.conf"));
        List<String> command = Arrays.asList(binary.toString(), config.toString(), "--sentinel");
        process = RedisProcess.launch(command, workDir, logFile(), log -> answersMasterAddress());
    }

    private Path writeConfig(Path file) {
        RedisConfigFile config = new RedisConfigFile()
                .directive("port", Integer.toString(port))
                .directive("bind", RedisServer.HOST)
                .directive("protected-mode", "no")
                .directive("daemonize", "no")
                .directive("dir", workDir.toString())
                .directive("sentinel", "monitor", masterName, RedisServer.HOST, Integer.toString(master.port()), "1");
        if (master.authUser() != null) {
            config.directive("sentinel", "auth-user", masterName, master.authUser());
        }
        if (master.authPassword() != null) {
            config.directive("sentinel", "auth-pass", masterName, master.authPassword());
        }
        return config.writeTo(file);
    }

    private boolean answersMasterAddress() throws IOException {
        try (RespConnection connection = RespConnection.open(RedisServer.HOST, port, PROBE_TIMEOUT)) {
            Object reply = connection.call("SENTINEL", "get-master-addr-by-name", masterName);
            return List.of(RedisServer.HOST, Integer.toString(master.port())).equals(reply);
        }
    }
}
