package org.captioner.serve;

import org.captioner.decode.DecodingOptions;
import org.captioner.image.ImageDecoder;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Captions synthetic pictures before the server listens, so that its first clients do not pay for a cold process: the
 * pictures go as uploads do through JPEG decoding, then through the engine's two stages in full batches, until the
 * JIT has compiled that path. Bounded: at most {@value #MAX_PICTURES} pictures and about the time budget (a batch that
 * started is finished). A model that fails here is not refused: the failure is reported and requests will meet it as
 * they would have without a warm-up.
 */
final class WarmUp {
    /** Enough full batches for the decoding steps and the backbone's calling code to be compiled (docs/server.md). */
    static final int MAX_PICTURES = 128;
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;

    /**
     * What the warm-up did.
     *
     * @param pictures captioned
     * @param took     wall time
     * @param failure  why it stopped early, or null
     */
    record Outcome(int pictures, Duration took, Exception failure) {
    }

    private WarmUp() {
    }

    /** Captions batches of {@code batchSize} synthetic pictures with {@code options} until a bound is reached. */
    static Outcome run(CaptionEngine engine, ImageDecoder decoder, DecodingOptions options, int batchSize, Duration budget) {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        int pictures = 0;
        try {
            List<byte[]> jpegs = syntheticJpegs(Math.min(batchSize, MAX_PICTURES));
            while (pictures < MAX_PICTURES && System.nanoTime() - deadline < 0) {
                List<BufferedImage> batch = new ArrayList<>();
                for (int i = 0; i < Math.min(jpegs.size(), MAX_PICTURES - pictures); i++) {
                    batch.add(decoder.decode(jpegs.get(i), "warm-up picture " + i));
                }
                engine.caption(engine.features(batch), options);
                pictures += batch.size();
            }
            return new Outcome(pictures, Duration.ofNanos(System.nanoTime() - started), null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(pictures, Duration.ofNanos(System.nanoTime() - started), e);
        }
    }

    /** Pictures of colored rectangles, different from each other, as JPEG files. */
    private static List<byte[]> syntheticJpegs(int count) throws IOException {
        Random random = new Random(12);
        List<byte[]> jpegs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BufferedImage picture = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = picture.createGraphics();
            for (int r = 0; r < 12; r++) {
                g.setColor(new Color(random.nextInt(0x1000000)));
                g.fillRect(random.nextInt(WIDTH), random.nextInt(HEIGHT), 1 + random.nextInt(WIDTH), 1 + random.nextInt(HEIGHT));
            }
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(picture, "jpg", out);
            jpegs.add(out.toByteArray());
        }
        return jpegs;
    }
}
