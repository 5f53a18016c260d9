package org.captioner.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A hand-written HTTP/1.1 exchange over a loopback socket, for what well-behaved clients never send: bodies
 * that stall, stop early or lie about their length, broken chunking. Reads are bounded by a timeout.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;

    RawHttp(int port, Duration readTimeout) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        out = socket.getOutputStream();
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Closes the sending side, as a client cut off mid-body does, while the answer can still be read. */
    RawHttp endInput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** Everything the server sends until it closes the connection or goes quiet; null if nothing came in time. */
    String answer() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read; (read = in.read(buffer)) != -1; ) {
                received.write(buffer, 0, read);
                if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            if (received.size() == 0) {
                return null;
            }
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** A response whose headers and Content-Length body have arrived. */
    private static boolean complete(String response) {
        int end = response.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : response.substring(0, end).split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return response.length() - end - 4 >= Integer.parseInt(line.substring(15).strip());
            }
        }
        return false;
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
