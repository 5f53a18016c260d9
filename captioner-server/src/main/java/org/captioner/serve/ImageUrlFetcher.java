package org.captioner.serve;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.util.InputStreamResponseListener;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches an image a client names by URL, guarded against server-side request forgery: only http and https;
 * the host is resolved here and every address it resolves to must pass the {@link AddressPolicy}; the
 * connection goes to those vetted addresses (so a second DNS answer cannot switch it, as in DNS rebinding);
 * redirects are followed by hand, each hop checked the same way; time and size are bounded.
 */
public final class ImageUrlFetcher implements AutoCloseable {
    private static final int MAX_URL_LENGTH = 2048;

    private final HttpClient client;
    private final ServerConfig.FetchLimits limits;
    private final long maxBytes;

    public ImageUrlFetcher(AddressPolicy policy, ServerConfig.FetchLimits limits, long maxBytes) {
        this.limits = limits;
        this.maxBytes = maxBytes;
        client = new HttpClient();
        client.setFollowRedirects(false);
        client.setSocketAddressResolver(new VettingResolver(policy));
        client.setConnectTimeout(limits.timeout().toMillis());
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Captioner image fetcher"));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for image URLs", e);
        }
    }

    /** The image bytes at {@code url}, or an {@link ApiError} saying why not. */
    public byte[] fetch(String url) {
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        URI target = checkedUri(url, null);
        for (int redirects = 0; ; redirects++) {
            InputStreamResponseListener listener = new InputStreamResponseListener();
            long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                client.newRequest(target).timeout(remaining, TimeUnit.MILLISECONDS).send(listener);
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "invalid_url", "the URL cannot be requested: " + e.getMessage());
            }
            Response response = await(listener, remaining);
            int status = response.getStatus();
            if (isRedirect(status)) {
                String location = response.getHeaders().get(HttpHeader.LOCATION);
                response.abort(new IOException("redirect not followed by the client"));
                if (location == null) {
                    throw new ApiError(502, "fetch_failed", "the URL answered a redirect without a Location");
                }
                if (redirects == limits.maxRedirects()) {
                    throw new ApiError(400, "too_many_redirects", "the URL redirects more than " + limits.maxRedirects() + " times");
                }
                target = checkedUri(location, target);
                continue;
            }
            if (status != 200) {
                response.abort(new IOException("unwanted status"));
                throw new ApiError(502, "fetch_failed", "the URL answered HTTP " + status);
            }
            long announced = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (announced > maxBytes) {
                response.abort(new IOException("too large"));
                throw tooLarge();
            }
            try (InputStream body = listener.getInputStream()) {
                return BoundedInput.readImage(body, maxBytes, "the image at the URL");
            } catch (IOException e) {
                throw new ApiError(502, "fetch_failed", "reading the image from the URL failed");
            }
        }
    }

    private ApiError tooLarge() {
        return new ApiError(413, "image_too_large", "the image at the URL is larger than " + maxBytes + " bytes");
    }

    private Response await(InputStreamResponseListener listener, long timeoutMillis) {
        try {
            return listener.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw timedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "unavailable", "the service is shutting down");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RefusedAddressException refused) {
                throw new ApiError(400, "url_not_allowed", refused.getMessage());
            }
            if (cause instanceof UnknownHostException) {
                throw new ApiError(400, "unknown_host", "the URL's host cannot be resolved");
            }
            if (cause instanceof TimeoutException) {
                throw timedOut();
            }
            throw new ApiError(502, "fetch_failed", "the URL could not be fetched");
        }
    }

    private ApiError timedOut() {
        return new ApiError(504, "fetch_timeout", "fetching the URL took longer than " + limits.timeout().toSeconds() + " s");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** An absolute http(s) URL with a host, resolved against {@code base} for relative redirects. */
    private static URI checkedUri(String url, URI base) {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw new ApiError(400, "invalid_url", "give an http or https URL of at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = base == null ? new URI(url.strip()) : base.resolve(new URI(url.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ApiError(400, "invalid_url", "not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ApiError(400, "url_not_allowed", "only http and https URLs are fetched");
        }
        if (uri.getHost() == null) {
            throw new ApiError(400, "invalid_url", "the URL has no host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new ApiError(400, "invalid_url", "the URL's port " + uri.getPort() + " is not between 1 and 65535");
        }
        return uri;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    /** Thrown inside the resolver; the fetch answers it as 400 url_not_allowed. */
    static final class RefusedAddressException extends IOException {
        RefusedAddressException(String message) {
            super(message);
        }
    }

    /** Resolves a host and hands Jetty only addresses the policy allows, refusing the host if any is not. */
    private record VettingResolver(AddressPolicy policy) implements SocketAddressResolver {
        @Override
        public void resolve(String host, int port, Promise<List<InetSocketAddress>> promise) {
            try {
                List<InetSocketAddress> vetted = new ArrayList<>();
                for (InetAddress address : InetAddress.getAllByName(host)) {
                    InetSocketAddress socketAddress = new InetSocketAddress(address, port);
                    // One refused address refuses the host: a mixed DNS answer must not let a connection slip through.
                    if (!policy.allows(socketAddress)) {
                        promise.failed(new RefusedAddressException("the URL's host " + host + " resolves to "
                                + address.getHostAddress() + ", which is not a public address"));
                        return;
                    }
                    vetted.add(socketAddress);
                }
                promise.succeeded(vetted);
            } catch (UnknownHostException e) {
                promise.failed(e);
            }
        }
    }
}
