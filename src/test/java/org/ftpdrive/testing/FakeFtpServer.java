package org.ftpdrive.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scripted FTP control connection on loopback, for unit tests of replies no real server can be
 * made to send on demand: a malformed reply, or a transfer's final reply at a chosen moment. It
 * greets, answers the login dialogue ftpdrive sends, and answers every other command from the
 * script ({@link #reply}) or with a fixed default. It never opens data connections: tests that need
 * one make a loopback socket pair themselves and {@link #push} the transfer's final reply.
 */
public final class FakeFtpServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread acceptor;
    /** Guarded by this: one-time replies per verb, in order. */
    private final Map<String, Deque<String>> scripted = new HashMap<>();
    /** Guarded by this. */
    private final List<String> received = new ArrayList<>();
    /** Guarded by this. */
    private final List<Socket> connections = new ArrayList<>();
    /** Guarded by this: the latest control connection's output. */
    private OutputStream latest;

    private FakeFtpServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fake-ftp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FakeFtpServer start() throws IOException {
        return new FakeFtpServer();
    }

    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * The next {@code verb} command gets {@code reply} (lines separated by "\r\n", without the
     * last one) instead of the default. Several calls queue replies in order.
     */
    public synchronized FakeFtpServer reply(String verb, String reply) {
        scripted.computeIfAbsent(verb.toUpperCase(Locale.ROOT), v -> new ArrayDeque<>()).add(reply);
        return this;
    }

    /** Sends {@code reply} on the latest control connection now, unasked (e.g. a transfer's 226). */
    public synchronized void push(String reply) throws IOException {
        if (latest == null) {
            throw new IllegalStateException("no control connection yet");
        }
        send(latest, reply);
    }

    /** Every command line received so far, PASS arguments included. */
    public synchronized List<String> commands() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (this) {
            for (Socket s : connections) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> serve(socket), "fake-ftp-control");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            synchronized (this) {
                connections.add(socket);
                latest = out;
                send(out, "220 fake FTP server ready");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
                synchronized (this) {
                    received.add(line);
                    Deque<String> queue = scripted.get(verb);
                    String reply = queue == null || queue.isEmpty() ? defaultReply(verb) : queue.poll();
                    send(out, reply);
                }
                if (verb.equals("QUIT")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or the server is closing
        }
    }

    private static String defaultReply(String verb) {
        return switch (verb) {
            case "USER" -> "331 Please specify the password.";
            case "PASS" -> "230 Login successful.";
            case "TYPE" -> "200 Switching to Binary mode.";
            case "FEAT" -> "211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n211 End";
            case "SYST" -> "215 UNIX Type: L8";
            case "PWD" -> "257 \"/\" is the current directory";
            case "NOOP" -> "200 NOOP ok.";
            case "QUIT" -> "221 Goodbye.";
            default -> "502 Command not implemented.";
        };
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
