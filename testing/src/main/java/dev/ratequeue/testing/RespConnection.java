package dev.ratequeue.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A RESP2 connection over a plain socket, with no client library in between.
 *
 * <p>Fixtures use it to decide whether a server is up, and tests use it to check what a server really says
 * (for example {@code NOAUTH}) without a client library's retries, pooling or error mapping getting in the
 * way. Replies come back as plain Java values:
 * <ul>
 *   <li>simple and bulk strings: {@link String} (UTF-8)</li>
 *   <li>integers: {@link Long}</li>
 *   <li>arrays: {@link List} of these values</li>
 *   <li>nil bulk strings and nil arrays: {@code null}</li>
 *   <li>errors: {@link RespError}</li>
 * </ul>
 * Not thread-safe: one caller at a time.
 */
public final class RespConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects, and uses {@code timeout} both for the connect and for every later read. */
    public static RespConnection open(String host, int port, Duration timeout) throws IOException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            return new RespConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects over TLS with {@code context}, checking the server's certificate against the host name or IP
     * address as a client library that verifies peers does (Lettuce's default), and uses {@code timeout} for the
     * connect, the handshake and every later read.
     *
     * @throws javax.net.ssl.SSLException if the handshake fails, e.g. the certificate is not trusted or does not
     *     name {@code host}
     */
    public static RespConnection openTls(String host, int port, Duration timeout, SSLContext context)
            throws IOException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), millis);
            plain.setSoTimeout(millis);
            plain.setTcpNoDelay(true);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            try {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                return new RespConnection(tls);
            } catch (IOException | RuntimeException e) {
                tls.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Sends one command as an array of bulk strings and reads its reply. */
    public Object call(String... args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("A command needs at least its name");
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        writeAscii(request, "*" + args.length + "\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            writeAscii(request, "$" + bytes.length + "\r\n");
            request.write(bytes, 0, bytes.length);
            writeAscii(request, "\r\n");
        }
        out.write(request.toByteArray());
        out.flush();
        return readReply();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private Object readReply() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Server closed the connection");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$':
                return readBulk(Integer.parseInt(line));
            case '*':
                return readArray(Integer.parseInt(line));
            default:
                throw new IOException("Not a RESP2 reply: '" + (char) type + line + "'");
        }
    }

    private String readBulk(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("Server closed the connection in the middle of a reply");
        }
        readLine();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private List<Object> readArray(int count) throws IOException {
        if (count < 0) {
            return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(readReply());
        }
        return items;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("Server closed the connection in the middle of a reply");
            }
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
    }

    private static void writeAscii(ByteArrayOutputStream target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        target.write(bytes, 0, bytes.length);
    }
}
