package org.captioner.serve;

import java.time.Duration;

/**
 * How the caption service listens, batches and protects itself.
 *
 * @param host             interface to bind: {@code 127.0.0.1} keeps the service local, {@code 0.0.0.0} exposes it
 * @param port             TCP port; 0 picks a free one
 * @param maxUploadBytes   largest image accepted, uploaded or fetched (larger ones get 413)
 * @param maxImagePixels   largest width x height accepted, read from the image header before decoding
 * @param batchWorkers     batching pipelines, each running the backbone on one batch while it decodes the one before
 * @param queueCapacity    pictures waiting for the model at most; beyond it requests get 503 with Retry-After
 *                         before their body is read
 * @param maxBatchSize     pictures captioned together at most
 * @param batchWait        how long the batcher waits for more pictures after the first one of a batch
 * @param fetch            limits for {@code {"url": ...}} requests
 * @param addressPolicy    which addresses URL fetching may connect to
 * @param shutdownGrace    how long a shutdown waits for requests in flight
 * @param requests         memory and time bounds of one request
 * @param warmUp           how long the service may caption synthetic pictures before it listens (see {@link WarmUp});
 *                         zero: none
 */
public record ServerConfig(String host, int port, long maxUploadBytes, long maxImagePixels, int batchWorkers,
                           int queueCapacity, int maxBatchSize, Duration batchWait, FetchLimits fetch,
                           AddressPolicy addressPolicy, Duration shutdownGrace, RequestLimits requests, Duration warmUp) {

    /**
     * @param maxRedirects redirects followed at most (each hop's address is checked again)
     * @param timeout      for the whole fetch, redirects included
     */
    public record FetchLimits(int maxRedirects, Duration timeout) {
    }

    /**
     * @param latencyBudget      a request is admitted only while those already in the service would be captioned
     *                           within this time at the measured rate (always at least one batch per worker); zero
     *                           turns this off, leaving the queue capacity alone to bound the wait
     * @param decodedPixels      pixels the readers hold for the pictures being decoded or waiting for the model
     *                           ({@code ImageHeader.heldPixels}: subsampled), summed, at most; a picture holding
     *                           more takes the whole budget (docs/server.md: about 8 bytes of heap per pixel)
     * @param decodeWait         how long an admitted request waits for room in that budget before 503
     * @param idleTimeout        a connection silent this long is closed; a body stalled this long answers 408
     * @param minBodyBytesPerSecond a request body arriving slower than this on average answers 408
     */
    public record RequestLimits(Duration latencyBudget, long decodedPixels, Duration decodeWait, Duration idleTimeout, long minBodyBytesPerSecond) {
    }

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_UPLOAD_MEGABYTES = 10;
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 40_000_000L;
    public static final int DEFAULT_BATCH_WORKERS = 2;
    /** A bound on memory; the latency budget bounds the wait (docs/server.md, "Overload"). */
    public static final int DEFAULT_QUEUE_CAPACITY = 64;
    public static final int DEFAULT_LATENCY_BUDGET_MILLIS = 500;
    public static final int DEFAULT_MAX_BATCH_SIZE = 16;
    public static final int DEFAULT_BATCH_WAIT_MILLIS = 5;
    /**
     * 30 photos decoded to the largest 4:3 size (895 x 1,193; a 4032 x 3024 phone photo is decoded to 672 x 504),
     * or 8 pictures at the 4-megapixel decoded limit: 256 MB of heap at 8 bytes a pixel (docs/server.md).
     */
    public static final long DEFAULT_DECODED_PIXELS = 32_000_000L;
    /** About what the warm-up's 128 pictures take a cold process on 2 idle cores (docs/server.md, "Warm-up"). */
    public static final int DEFAULT_WARM_UP_MILLIS = 3000;

    public ServerConfig {
        if (port < 0 || port > 65535 || maxUploadBytes <= 0 || maxImagePixels <= 0 || batchWorkers < 1
                || queueCapacity < 1 || maxBatchSize < 1 || batchWait.isNegative() || fetch.maxRedirects() < 0
                || requests.decodedPixels() < 1 || requests.decodedPixels() > Integer.MAX_VALUE
                || requests.latencyBudget().isNegative() || requests.decodeWait().isNegative() || requests.idleTimeout().isNegative() || requests.idleTimeout().isZero()
                || requests.minBodyBytesPerSecond() < 0 || warmUp.isNegative()) {
            throw new IllegalArgumentException("invalid server configuration: " + this);
        }
    }

    /**
     * Local only ({@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}), {@value #DEFAULT_MAX_UPLOAD_MEGABYTES} MB uploads,
     * {@value #DEFAULT_MAX_IMAGE_PIXELS} pixels a picture, {@value #DEFAULT_BATCH_WORKERS} batching pipeline(s) of
     * batches of up to {@value #DEFAULT_MAX_BATCH_SIZE} pictures gathered within {@value #DEFAULT_BATCH_WAIT_MILLIS} ms,
     * {@value #DEFAULT_QUEUE_CAPACITY} waiting at most and no more than the measured rate captions in
     * {@value #DEFAULT_LATENCY_BUDGET_MILLIS} ms, {@value #DEFAULT_DECODED_PIXELS} decoded pixels held at once (a request waits up to
     * 2 s for room), connections idle for 10 s closed, bodies at 8 kB/s at least, URL fetches of up to 3 redirects
     * in 10 s, public addresses only, 30 s to finish on shutdown, a warm-up of at most
     * {@value #DEFAULT_WARM_UP_MILLIS} ms before listening.
     */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration, e.g. {@code config.toBuilder().optAddress("0.0.0.0", 80).build()}. */
    public Builder toBuilder() {
        return new Builder().optAddress(host, port).optMaxUploadBytes(maxUploadBytes).optMaxImagePixels(maxImagePixels)
                .optBatching(batchWorkers, queueCapacity, maxBatchSize, batchWait).optFetch(fetch)
                .optAddressPolicy(addressPolicy).optShutdownGrace(shutdownGrace).optRequestLimits(requests)
                .optWarmUp(warmUp);
    }

    /** Requests admitted at once: the pictures the model can be captioning plus the queue. */
    public int admissionPlaces() {
        return queueCapacity + batchWorkers * maxBatchSize;
    }

    /** Sets fields by name (see the record's parameters); {@link #build()} checks them together. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_MEGABYTES * 1024L * 1024;
        private long maxImagePixels = DEFAULT_MAX_IMAGE_PIXELS;
        private int batchWorkers = DEFAULT_BATCH_WORKERS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private Duration batchWait = Duration.ofMillis(DEFAULT_BATCH_WAIT_MILLIS);
        private FetchLimits fetch = new FetchLimits(3, Duration.ofSeconds(10));
        private AddressPolicy addressPolicy = AddressPolicy.PUBLIC_ONLY;
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private RequestLimits requests = new RequestLimits(Duration.ofMillis(DEFAULT_LATENCY_BUDGET_MILLIS),
                DEFAULT_DECODED_PIXELS, Duration.ofSeconds(2), Duration.ofSeconds(10), 8 * 1024);
        private Duration warmUp = Duration.ofMillis(DEFAULT_WARM_UP_MILLIS);

        private Builder() {
        }

        public Builder optAddress(String bindHost, int bindPort) {
            host = bindHost;
            port = bindPort;
            return this;
        }

        public Builder optMaxUploadBytes(long bytes) {
            maxUploadBytes = bytes;
            return this;
        }

        public Builder optMaxImagePixels(long pixels) {
            maxImagePixels = pixels;
            return this;
        }

        public Builder optBatching(int workers, int queue, int batchSize, Duration wait) {
            batchWorkers = workers;
            queueCapacity = queue;
            maxBatchSize = batchSize;
            batchWait = wait;
            return this;
        }

        public Builder optFetch(FetchLimits limits) {
            fetch = limits;
            return this;
        }

        public Builder optAddressPolicy(AddressPolicy policy) {
            addressPolicy = policy;
            return this;
        }

        public Builder optShutdownGrace(Duration grace) {
            shutdownGrace = grace;
            return this;
        }

        public Builder optRequestLimits(RequestLimits limits) {
            requests = limits;
            return this;
        }

        /** Only the latency budget of the {@link RequestLimits}. */
        public Builder optLatencyBudget(Duration budget) {
            return optRequestLimits(new RequestLimits(budget, requests.decodedPixels(), requests.decodeWait(),
                    requests.idleTimeout(), requests.minBodyBytesPerSecond()));
        }

        /** Zero: the service listens as soon as the model is loaded. */
        public Builder optWarmUp(Duration budget) {
            warmUp = budget;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, maxUploadBytes, maxImagePixels, batchWorkers, queueCapacity,
                    maxBatchSize, batchWait, fetch, addressPolicy, shutdownGrace, requests, warmUp);
        }
    }
}
