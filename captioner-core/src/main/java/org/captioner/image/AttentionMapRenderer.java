package org.captioner.image;

import org.captioner.io.AtomicFiles;
import javax.imageio.ImageIO;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws "where the model looked" for each generated word: a grid of tiles, one per word, each the
 * picture with that word's attention over the region grid laid on top as a translucent heat map
 * (upsampled bicubically, so the 7x7 blocks become smooth blobs) and the word as a caption bar.
 */
public final class AttentionMapRenderer {
    private static final int LABEL_HEIGHT = 24;
    private static final int GAP = 4;
    private static final float HEAT_OPACITY = 0.55f;

    private final int tileSize;
    private final int columns;

    public AttentionMapRenderer() {
        this(224, 4);
    }

    public AttentionMapRenderer(int tileSize, int columns) {
        if (tileSize <= 0 || columns <= 0) {
            throw new IllegalArgumentException("tile size and columns must be positive");
        }
        this.tileSize = tileSize;
        this.columns = columns;
    }

    /**
     * @param attention one array per word of {@code gridH * gridW} weights in raster order (row-major),
     *                  as the decoder's attention over region-major features gives them
     */
    public BufferedImage render(BufferedImage picture, List<String> words, List<float[]> attention, int gridH, int gridW) {
        if (words.size() != attention.size() || words.isEmpty()) {
            throw new IllegalArgumentException("need one attention map per word, got " + words.size() + " words and "
                    + attention.size() + " maps");
        }
        int rows = (words.size() + columns - 1) / columns;
        int usedColumns = Math.min(columns, words.size());
        int tileHeight = tileSize + LABEL_HEIGHT;
        BufferedImage sheet = new BufferedImage(usedColumns * tileSize + (usedColumns + 1) * GAP,
                rows * tileHeight + (rows + 1) * GAP, BufferedImage.TYPE_INT_RGB);
        BufferedImage background = ImagePreprocessor.scaleTo(picture, tileSize, tileSize);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            for (int i = 0; i < words.size(); i++) {
                float[] weights = attention.get(i);
                if (weights.length != gridH * gridW) {
                    throw new IllegalArgumentException("attention map for '" + words.get(i) + "' has " + weights.length
                            + " weights, expected " + gridH + "x" + gridW);
                }
                int x = GAP + (i % columns) * (tileSize + GAP);
                int y = GAP + (i / columns) * (tileHeight + GAP);
                g.drawImage(background, x, y, null);
                drawHeat(g, heatMap(weights, gridH, gridW), x, y);
                drawLabel(g, words.get(i), x, y + tileSize);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    /** Renders and writes a PNG; the file appears complete or not at all. */
    public void renderToPng(BufferedImage picture, List<String> words, List<float[]> attention, int gridH, int gridW, Path png)
            throws IOException {
        BufferedImage sheet = render(picture, words, attention, gridH, gridW);
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(sheet, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** The grid as a tiny ARGB picture: weights min-max scaled to a "jet"-like color ramp. */
    private static BufferedImage heatMap(float[] weights, int gridH, int gridW) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float w : weights) {
            min = Math.min(min, w);
            max = Math.max(max, w);
        }
        float range = max - min;
        BufferedImage heat = new BufferedImage(gridW, gridH, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < gridH; r++) {
            for (int c = 0; c < gridW; c++) {
                float level = range > 0 ? (weights[r * gridW + c] - min) / range : 0.5f;
                // hue from blue (cold, 0.66) to red (hot, 0)
                heat.setRGB(c, r, Color.HSBtoRGB(0.66f * (1 - level), 1f, 1f));
            }
        }
        return heat;
    }

    private void drawHeat(Graphics2D g, BufferedImage heat, int x, int y) {
        Graphics2D overlay = (Graphics2D) g.create();
        try {
            overlay.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            overlay.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, HEAT_OPACITY));
            overlay.setClip(x, y, tileSize, tileSize);
            // Pixel centers of the grid land on the centers of the regions they stand for.
            overlay.drawImage(heat, x, y, tileSize, tileSize, null);
        } finally {
            overlay.dispose();
        }
    }

    private void drawLabel(Graphics2D g, String word, int x, int y) {
        g.setColor(Color.BLACK);
        g.fillRect(x, y, tileSize, LABEL_HEIGHT);
        g.setColor(Color.WHITE);
        FontMetrics metrics = g.getFontMetrics();
        int textX = x + Math.max(2, (tileSize - metrics.stringWidth(word)) / 2);
        g.drawString(word, textX, y + (LABEL_HEIGHT + metrics.getAscent() - metrics.getDescent()) / 2);
    }
}
