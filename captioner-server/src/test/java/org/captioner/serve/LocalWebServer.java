package org.captioner.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A small web server on 127.0.0.1 standing in for the sites a URL request names; counts what it is asked. */
final class LocalWebServer implements AutoCloseable {
    private final HttpServer server;
    final AtomicInteger hits = new AtomicInteger();

    LocalWebServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    LocalWebServer serve(String path, String contentType, byte[] body) {
        server.createContext(path, exchange -> answer(exchange, 200, contentType, body));
        return this;
    }

    LocalWebServer redirect(String path, String location) {
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            answer(exchange, 302, "text/plain", new byte[0]);
        });
        return this;
    }

    private void answer(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        hits.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
