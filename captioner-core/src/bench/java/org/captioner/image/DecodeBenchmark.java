package org.captioner.image;

import org.captioner.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Decoding benchmark, not a test: runs only with {@code -Dbench.decode=N} (N Flickr8k originals). Reports the
 * decoding time of the real photos with a digest of all their decoded pixels (equal digests: equal pictures), and
 * the time and heap allocated to decode a 39.7-megapixel flat PNG of ~100 KB. See bench/README.md.
 */
class DecodeBenchmark {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void flickrOriginalsAndDecompressionBomb() throws Exception {
        String count = System.getProperty("bench.decode");
        Assumptions.assumeTrue(count != null, "a benchmark: run with -Dbench.decode=N");
        ImageDecoder decoder = new ImageDecoder();
        List<Path> photos;
        try (Stream<Path> files = Files.list(SharedData.flickr8k().resolve("images"))) {
            photos = files.filter(ImageFiles::looksLikeImage).sorted().limit(Integer.parseInt(count)).toList();
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (Path photo : photos.subList(0, Math.min(50, photos.size()))) {
            decoder.decode(photo); // warm-up
        }
        long decodingNanos = 0;
        for (Path photo : photos) {
            long start = System.nanoTime();
            BufferedImage picture = decoder.decode(photo);
            decodingNanos += System.nanoTime() - start;
            int[] rgb = picture.getRGB(0, 0, picture.getWidth(), picture.getHeight(), null, 0, picture.getWidth());
            for (int pixel : rgb) {
                digest.update((byte) (pixel >> 16));
                digest.update((byte) (pixel >> 8));
                digest.update((byte) pixel);
            }
        }
        double photoMs = decodingNanos / 1e6 / photos.size();
        System.out.printf("flickr8k originals: %d images, %.2f ms/image, pixels sha256 %s%n",
                photos.size(), photoMs, HexFormat.of().formatHex(digest.digest()));

        byte[] bomb = FlatPng.of(7300, 5440);
        for (int run = 0; run < 3; run++) {
            long allocated = THREADS.getCurrentThreadAllocatedBytes();
            long begin = System.nanoTime();
            BufferedImage picture = decoder.decode(bomb, "bomb");
            System.out.printf("39.7 MP PNG (%d bytes): decoded to %dx%d in %.0f ms, %.1f MB allocated%n", bomb.length,
                    picture.getWidth(), picture.getHeight(), (System.nanoTime() - begin) / 1e6,
                    (THREADS.getCurrentThreadAllocatedBytes() - allocated) / 1e6);
        }
    }
}
