package dev.ratequeue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster of {@code masters} master nodes (no replicas), each a {@code redis-server} process on a
 * free loopback port, sharing one temporary directory for their logs and cluster config files.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start(3)) {
 *     Coordinator coordinator = Coordinator.create(cluster.uri(), options);
 *     ...
 * }
 * }</pre>
 *
 * <p>The binary is the one {@link RedisServer} uses ({@link RedisServer#locateBinary()}). The 16384 slots are split
 * evenly and in order: node 0 serves the lowest slots ({@link #portServing(int)} says which node serves a slot).
 * The cluster is formed with plain commands ({@code CLUSTER ADDSLOTS}, not the 7.0+ {@code ADDSLOTSRANGE};
 * {@code CLUSTER MEET}), so no {@code redis-cli} is needed and Redis 6.2 works. {@link #start} returns once every
 * node reports {@code cluster_state:ok}. Whatever is still running when the JVM exits is killed by a shutdown hook.
 */
public final class RedisCluster implements AutoCloseable {

    public static final int SLOTS = 16384;
    /** Redis Cluster's bus listens on the client port + 10000, which must also be a valid, free port. */
    private static final int BUS_PORT_OFFSET = 10000;
    private static final int PORT_ATTEMPTS = 5;
    private static final int PORT_SEARCHES = 100;
    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FORMATION_POLL = Duration.ofMillis(50);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String NODE_TIMEOUT_MILLIS = "2000";

    private final Path binary;
    private final Path workDir;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Integer, Node> movedSlots = new HashMap<>();
    private boolean closed;

    private RedisCluster(Path binary, Path workDir) {
        this.binary = binary;
        this.workDir = workDir;
    }

    /**
     * Starts {@code masters} nodes, gives each an equal share of the slots, introduces them to each other and waits
     * (up to 20 s) until every node reports {@code cluster_state:ok}.
     *
     * @throws IllegalStateException if a node does not start or the cluster does not form in time; the message
     *     says which node and what it last reported
     */
    public static RedisCluster start(int masters) {
        if (masters < 1 || masters > SLOTS) {
            throw new IllegalArgumentException("A cluster needs between 1 and " + SLOTS + " masters, not " + masters);
        }
        Path workDir = TempDirs.create("ratequeue-redis-cluster-");
        Reaper.trackDirectory(workDir);
        RedisCluster cluster = new RedisCluster(RedisBinary.locate(), workDir);
        try {
            for (int i = 0; i < masters; i++) {
                int first = (int) ((long) SLOTS * i / masters);
                int last = (int) ((long) SLOTS * (i + 1) / masters) - 1;
                cluster.nodes.add(cluster.launchOnFreePort(first, last));
            }
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code redis-cluster://127.0.0.1:<port>,127.0.0.1:<port>,...}, every node being a seed. */
    public String uri() {
        return "redis-cluster://" + nodes.stream().map(n -> RedisServer.HOST + ":" + n.port)
                .collect(Collectors.joining(","));
    }

    public String host() {
        return RedisServer.HOST;
    }

    /** The nodes' client ports, node 0 (lowest slots) first. */
    public List<Integer> ports() {
        return nodes.stream().map(n -> n.port).collect(Collectors.toList());
    }

    /** The port of the node serving {@code slot} (0 to 16383): the one given it at start, or by {@link #moveSlot}. */
    public synchronized int portServing(int slot) {
        return nodeServing(slot).port;
    }

    /**
     * Reshards one slot as {@code redis-cli --cluster reshard} would: marks it importing on the target and migrating
     * on its current node, moves its keys with {@code MIGRATE}, then gives it to the target on every node. Clients
     * that still send the slot's commands to the old node get {@code MOVED}.
     */
    public synchronized void moveSlot(int slot, int toPort) {
        Node from = nodeServing(slot);
        Node to = nodes.stream().filter(n -> n.port == toPort).findFirst().orElseThrow(
                () -> new IllegalArgumentException("No node of " + this + " listens on " + toPort));
        if (from == to) {
            return;
        }
        String slotText = Integer.toString(slot);
        String fromId = String.valueOf(call(from, "CLUSTER", "MYID"));
        String toId = String.valueOf(call(to, "CLUSTER", "MYID"));
        expectOk(to, "CLUSTER", "SETSLOT", slotText, "IMPORTING", fromId);
        expectOk(from, "CLUSTER", "SETSLOT", slotText, "MIGRATING", toId);
        while (true) {
            List<?> keys = (List<?>) call(from, "CLUSTER", "GETKEYSINSLOT", slotText, "100");
            if (keys.isEmpty()) {
                break;
            }
            List<String> migrate = new ArrayList<>(Arrays.asList("MIGRATE", RedisServer.HOST,
                    Integer.toString(to.port), "", "0", "5000", "KEYS"));
            keys.forEach(key -> migrate.add((String) key));
            expectOk(from, migrate.toArray(new String[0]));
        }
        // The target first, so that the slot is never owned by no one.
        expectOk(to, "CLUSTER", "SETSLOT", slotText, "NODE", toId);
        for (Node node : nodes) {
            if (node != to) {
                expectOk(node, "CLUSTER", "SETSLOT", slotText, "NODE", toId);
            }
        }
        movedSlots.put(slot, to);
    }

    /** A raw RESP connection to one node, e.g. for {@code SCRIPT FLUSH} or {@code INFO errorstats}. */
    public RespConnection openConnection(int port, Duration timeout) throws IOException {
        return RespConnection.open(RedisServer.HOST, port, timeout);
    }

    /** The version the binary reports, e.g. {@code 7.0.15}. */
    public String version() {
        return RedisBinary.version(binary);
    }

    /** Ends every node and deletes the directory with their logs and cluster config. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        nodes.forEach(node -> node.process.stop());
        Reaper.untrackDirectory(workDir);
        TempDirs.deleteQuietly(workDir);
    }

    @Override
    public String toString() {
        return "RedisCluster" + ports();
    }

    private Node nodeServing(int slot) {
        Node moved = movedSlots.get(slot);
        if (moved != null) {
            return moved;
        }
        for (Node node : nodes) {
            if (slot >= node.firstSlot && slot <= node.lastSlot) {
                return node;
            }
        }
        throw new IllegalArgumentException("Slot " + slot + " is not in 0.." + (SLOTS - 1));
    }

    private Node launchOnFreePort(int firstSlot, int lastSlot) {
        PortInUseException lastFailure = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = freeClusterPort();
            try {
                return new Node(port, firstSlot, lastSlot, launch(port));
            } catch (PortInUseException e) {
                // Someone took the client or the bus port between the check and redis-server's bind.
                lastFailure = e;
            }
        }
        throw new IllegalStateException("redis-server could not bind a free port and its bus port in "
                + PORT_ATTEMPTS + " attempts", lastFailure);
    }

    private RedisProcess launch(int port) {
        List<String> command = new ArrayList<>(Arrays.asList(binary.toString(),
                "--port", Integer.toString(port),
                "--bind", RedisServer.HOST,
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--protected-mode", "no",
                "--cluster-enabled", "yes",
                // Relative to the working directory: a path with a space would not survive Redis' argument parsing.
                "--cluster-config-file", "nodes-" + port + ".conf",
                "--cluster-node-timeout", NODE_TIMEOUT_MILLIS));
        Path log = workDir.resolve("redis-" + port + ".log");
        return RedisProcess.launch(command, workDir, log, sinceLaunch -> isReady(port, sinceLaunch));
    }

    /** As {@link RedisServer}: a PONG alone could come from a stranger that grabbed the port. */
    private static boolean isReady(int port, String logSinceLaunch) throws IOException {
        if (!logSinceLaunch.contains("Ready to accept connections")) {
            return false;
        }
        try (RespConnection connection = RespConnection.open(RedisServer.HOST, port, COMMAND_TIMEOUT)) {
            return "PONG".equals(connection.call("PING"));
        }
    }

    private static int freeClusterPort() {
        for (int i = 0; i < PORT_SEARCHES; i++) {
            int port = FreePort.find();
            if (port + BUS_PORT_OFFSET <= 65535 && isFree(port + BUS_PORT_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("Found no free loopback port p with p + " + BUS_PORT_OFFSET
                + " also free in " + PORT_SEARCHES + " tries");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(RedisServer.HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void form() {
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            // Distinct epochs up front, as redis-cli does: otherwise the nodes first resolve an epoch collision.
            expectOk(node, "CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
            List<String> addSlots = new ArrayList<>(Arrays.asList("CLUSTER", "ADDSLOTS"));
            for (int slot = node.firstSlot; slot <= node.lastSlot; slot++) {
                addSlots.add(Integer.toString(slot));
            }
            expectOk(node, addSlots.toArray(new String[0]));
        }
        Node introducer = nodes.get(0);
        for (Node other : nodes.subList(1, nodes.size())) {
            expectOk(introducer, "CLUSTER", "MEET", RedisServer.HOST, Integer.toString(other.port));
        }
        awaitFormed();
    }

    private void awaitFormed() {
        long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
        String expectedNodes = "cluster_known_nodes:" + nodes.size();
        while (true) {
            Node notReady = null;
            String lastInfo = null;
            for (Node node : nodes) {
                lastInfo = String.valueOf(call(node, "CLUSTER", "INFO"));
                if (!lastInfo.contains("cluster_state:ok") || !lastInfo.contains(expectedNodes)) {
                    notReady = node;
                    break;
                }
            }
            if (notReady == null) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("The cluster " + ports() + " did not form within "
                        + FORMATION_TIMEOUT.toSeconds() + " s: node " + notReady.port + " still reports\n"
                        + lastInfo.trim() + "\nLogs are in " + workDir);
            }
            RedisProcess.sleep(FORMATION_POLL);
        }
    }

    private void expectOk(Node node, String... command) {
        Object reply = call(node, command);
        if (!"OK".equals(reply)) {
            String shown = command.length > 4 ? String.join(" ", Arrays.asList(command).subList(0, 4)) + " ..."
                    : String.join(" ", command);
            throw new IllegalStateException("'" + shown + "' on node " + node.port + " answered " + reply
                    + "; expected OK");
        }
    }

    private Object call(Node node, String... command) {
        try (RespConnection connection = openConnection(node.port, COMMAND_TIMEOUT)) {
            return connection.call(command);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not send " + command[0] + " to node " + node.port, e);
        }
    }

    private static final class Node {
        final int port;
        final int firstSlot;
        final int lastSlot;
        final RedisProcess process;

        Node(int port, int firstSlot, int lastSlot, RedisProcess process) {
            this.port = port;
            this.firstSlot = firstSlot;
            this.lastSlot = lastSlot;
            this.process = process;
        }
    }
}
