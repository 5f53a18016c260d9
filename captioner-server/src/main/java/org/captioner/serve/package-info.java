/**
 * The caption service: HTTP JSON API, web page, health and Prometheus metrics (Javalin).
 *
 * <p>Main types: {@link org.captioner.serve.CaptionServer} (routes and lifecycle),
 * {@link org.captioner.serve.ServerConfig} (address, limits, batching), {@link org.captioner.serve.Admission}
 * (admits a request before its body is read, by queue and latency budget), {@link org.captioner.serve.MicroBatcher}
 * (gathers pictures of concurrent requests into batches), {@link org.captioner.serve.LoadedModel} and
 * {@link org.captioner.serve.CaptionEngine} (the model behind it), {@link org.captioner.serve.ImageUrlFetcher} (with
 * {@link org.captioner.serve.AddressPolicy}) and {@link org.captioner.serve.ApiError} (JSON errors).
 *
 * <p>Layer 11 of docs/architecture.md: may import the layers below it; uses the
 * {@link org.captioner.Captioner} front door, {@code bundle}, {@code decode}, {@code image}. Never the CLI.
 */
package org.captioner.serve;
