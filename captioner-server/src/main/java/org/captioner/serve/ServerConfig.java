package org.captioner.serve;

import java.time.Duration;

/**
 * How the caption service listens, batches and protects itself.
 *
 * @param host             interface to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port             TCP port; 0 picks a free one
 * @param maxUploadBytes   largest image accepted, uploaded or fetched (larger ones get 413)
 * @param maxImagePixels   largest width x height accepted, read from the image header before decoding
 * @param batchWorkers     batches captioned at the same time
 * @param queueCapacity    pictures waiting for the model at most; beyond it requests get 503 with Retry-After
 * @param maxBatchSize     pictures captioned together at most
 * @param batchWait        how long the batcher waits for more pictures after the first one of a batch
 * @param fetch            limits for {@code {"url": ...}} requests
 * @param addressPolicy    which addresses URL fetching may connect to
 * @param shutdownGrace    how long a shutdown waits for requests in flight
 */
public record ServerConfig(String host, int port, long maxUploadBytes, long maxImagePixels, int batchWorkers,
                           int queueCapacity, int maxBatchSize, Duration batchWait, FetchLimits fetch,
                           AddressPolicy addressPolicy, Duration shutdownGrace) {

    /**
     * @param maxRedirects redirects followed at most (each hop's address is checked again)
     * @param timeout      for the whole fetch, redirects included
     */
    public record FetchLimits(int maxRedirects, Duration timeout) {
    }

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_UPLOAD_MEGABYTES = 10;
    public static final int DEFAULT_BATCH_WORKERS = 1;
    public static final int DEFAULT_QUEUE_CAPACITY = 64;
    public static final int DEFAULT_MAX_BATCH_SIZE = 16;
    public static final int DEFAULT_BATCH_WAIT_MILLIS = 5;

    public ServerConfig {
        if (port < 0 || port > 65535 || maxUploadBytes <= 0 || maxImagePixels <= 0 || batchWorkers < 1
                || queueCapacity < 1 || maxBatchSize < 1 || batchWait.isNegative() || fetch.maxRedirects() < 0) {
            throw new IllegalArgumentException("invalid server configuration: " + this);
        }
    }

    /**
     * 10 MB uploads, 40 megapixels, two batches at a time of up to 16 pictures gathered within 5 ms, 64 waiting
     * at most, URL fetches of up to 3 redirects in 10 s, public addresses only, 30 s to finish on shutdown.
     */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_UPLOAD_MEGABYTES * 1024L * 1024, 40_000_000L,
                DEFAULT_BATCH_WORKERS, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH_SIZE,
                Duration.ofMillis(DEFAULT_BATCH_WAIT_MILLIS), new FetchLimits(3, Duration.ofSeconds(10)),
                AddressPolicy.PUBLIC_ONLY, Duration.ofSeconds(30));
    }

    public ServerConfig withAddress(String bindHost, int bindPort) {
        return new ServerConfig(bindHost, bindPort, maxUploadBytes, maxImagePixels, batchWorkers, queueCapacity,
                maxBatchSize, batchWait, fetch, addressPolicy, shutdownGrace);
    }

    public ServerConfig withMaxUploadBytes(long bytes) {
        return new ServerConfig(host, port, bytes, maxImagePixels, batchWorkers, queueCapacity, maxBatchSize, batchWait,
                fetch, addressPolicy, shutdownGrace);
    }

    public ServerConfig withBatching(int workers, int queue, int batchSize, Duration wait) {
        return new ServerConfig(host, port, maxUploadBytes, maxImagePixels, workers, queue, batchSize, wait, fetch,
                addressPolicy, shutdownGrace);
    }

    public ServerConfig withAddressPolicy(AddressPolicy policy) {
        return new ServerConfig(host, port, maxUploadBytes, maxImagePixels, batchWorkers, queueCapacity, maxBatchSize,
                batchWait, fetch, policy, shutdownGrace);
    }
}
