package io.tinyscale.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Talks to the engines the way a test would, without the code under test. */
final class Probe {

    private Probe() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Connection connect(Engines engines) throws SQLException {
        return DriverManager.getConnection(engines.dbUrl(), engines.dbUser(), engines.dbPassword());
    }

    static int port(String url) {
        return java.net.URI.create(url.replaceFirst("^jdbc:", "")).getPort();
    }

    /** Sends one Redis command in RESP and returns the reply's first line (a bulk string's value for GET). */
    static String redis(String redisUrl, String... command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port(redisUrl)), 2000);
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
            for (String part : command) {
                request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(part).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            return line != null && line.startsWith("$") && !line.equals("$-1") ? in.readLine() : line;
        }
    }

    /** PING as a raw inline command, exactly what a person would type into telnet. */
    static String ping(String redisUrl) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port(redisUrl)), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }
}
