package org.captioner.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A seeded corpus of mutated images: small valid seeds of every supported format (and TIFF, which must be refused)
 * made in code, plus two Flickr8k photos when {@code ../shared} is there, mutated by bit flips, byte overwrites,
 * truncation, header sizes edited to huge, zero and odd values, lengths edited, ranges repeated, and named with a
 * wrong extension. Mutant {@code i} depends only on the seed and {@code i}, so a small run is the start of a large one.
 * <p>
 * {@code main DIR COUNT [SEED]} writes the corpus to a folder (to replay it against the web service), see
 * {@link ImageFuzzTest}.
 */
public final class FuzzCorpus {
    /** A valid file to mutate; {@code extension} is the one its format goes by. */
    public record Seed(String name, String extension, byte[] data) {
    }

    /** A mutated file: its name (index, seed, mutation, extension) and content. */
    public record Mutant(int index, String name, Mutation mutation, byte[] data) {
    }

    public enum Mutation {
        BIT_FLIPS, BYTE_OVERWRITES, TRUNCATION, HUGE_SIZE, ZERO_SIZE, ODD_SIZE, LENGTH_EDIT, REPEATED_RANGE, WRONG_EXTENSION
    }

    private static final List<String> EXTENSIONS = List.of("jpg", "png", "gif", "bmp", "webp", "tif");
    private static final long[][] HUGE_SIZES = {{65535, 65535}, {Integer.MAX_VALUE, Integer.MAX_VALUE},
            {1, Integer.MAX_VALUE}, {Integer.MAX_VALUE, 1}, {30000, 30000}, {0xFFFFFFFFL, 0xFFFFFFFFL}};
    private static final long[][] ODD_SIZES = {{7300, 5440}, {100_000, 400}, {400, 100_000}, {1, 1}, {16383, 1},
            {3, 65535}, {0x8000_0000L, 2}};
    private static final long[][] ZERO_SIZES = {{0, 0}, {0, 32}, {32, 0}};
    private static final int[] INTERESTING_BYTES = {0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE};
    private static final long[] INTERESTING_LENGTHS = {0, 1, 0x7F, 0xFF, 0xFFFF, 0x7FFF_FFFFL, 0xFFFF_FFFFL, 0x8000_0000L};

    private final long seed;
    private final List<Seed> seeds;

    public FuzzCorpus(long seed, List<Seed> seeds) {
        this.seed = seed;
        this.seeds = List.copyOf(seeds);
    }

    public List<Seed> seeds() {
        return seeds;
    }

    public Stream<Mutant> mutants(int count) {
        return Stream.iterate(0, i -> i < count, i -> i + 1).map(this::mutant);
    }

    public Mutant mutant(int index) {
        Random random = new Random(seed * 1_000_003L + index);
        Seed origin = seeds.get(random.nextInt(seeds.size()));
        Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
        byte[] data = mutate(origin.data(), mutation, random);
        boolean misnamed = mutation == Mutation.WRONG_EXTENSION || random.nextInt(5) == 0;
        String extension = misnamed ? otherExtension(origin.extension(), random) : origin.extension();
        String name = String.format("%05d-%s-%s.%s", index, origin.name(), mutation.name().toLowerCase(), extension);
        return new Mutant(index, name, mutation, data);
    }

    private static byte[] mutate(byte[] original, Mutation mutation, Random random) {
        byte[] data = original.clone();
        switch (mutation) {
            case BIT_FLIPS -> {
                for (int i = 1 + random.nextInt(16); i > 0; i--) {
                    int bit = random.nextInt(data.length * 8);
                    data[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
            case BYTE_OVERWRITES -> {
                // Mostly in the first 64 bytes, where headers are.
                for (int i = 1 + random.nextInt(8); i > 0; i--) {
                    int at = random.nextBoolean() ? random.nextInt(Math.min(64, data.length)) : random.nextInt(data.length);
                    data[at] = (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                }
            }
            case TRUNCATION -> data = Arrays.copyOf(data, random.nextInt(data.length));
            case HUGE_SIZE -> data = withSize(data, HUGE_SIZES, random);
            case ZERO_SIZE -> data = withSize(data, ZERO_SIZES, random);
            case ODD_SIZE -> data = withSize(data, ODD_SIZES, random);
            case LENGTH_EDIT -> {
                List<LengthFields.Field> fields = LengthFields.of(data);
                if (!fields.isEmpty()) {
                    long value = random.nextBoolean() ? INTERESTING_LENGTHS[random.nextInt(INTERESTING_LENGTHS.length)]
                            : random.nextInt(1 << 16);
                    fields.get(random.nextInt(fields.size())).write(data, value);
                }
            }
            case REPEATED_RANGE -> {
                int from = random.nextInt(data.length);
                int length = 1 + random.nextInt(Math.min(256, data.length - from));
                int times = 1 + random.nextInt(64);
                ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + length * times);
                out.write(data, 0, from + length);
                for (int i = 0; i < times; i++) {
                    out.write(data, from, length);
                }
                out.write(data, from + length, data.length - from - length);
                data = out.toByteArray();
            }
            case WRONG_EXTENSION -> { } // the content stays valid; only the name lies
        }
        return data;
    }

    private static byte[] withSize(byte[] data, long[][] sizes, Random random) {
        long[] size = sizes[random.nextInt(sizes.length)];
        return HeaderEdits.withSize(data, size[0], size[1]);
    }

    private static String otherExtension(String extension, Random random) {
        List<String> others = EXTENSIONS.stream().filter(other -> !other.equals(extension)).toList();
        return others.get(random.nextInt(others.size()));
    }

    /** Seeds made in code, plus the first two Flickr8k photos of {@code flickrImages} when it is a folder. */
    public static List<Seed> defaultSeeds(Path flickrImages) {
        try {
            List<Seed> seeds = new ArrayList<>(generatedSeeds());
            for (String resource : List.of("lossy", "lossless", "animated", "gradient")) {
                try (InputStream in = FuzzCorpus.class.getResourceAsStream(resource + ".webp")) {
                    seeds.add(new Seed("webp-" + resource, "webp", in.readAllBytes()));
                }
            }
            if (flickrImages != null && Files.isDirectory(flickrImages)) {
                for (Path photo : ImageFiles.list(flickrImages).subList(0, 2)) {
                    seeds.add(new Seed("flickr-" + photo.getFileName().toString().replaceAll("\\W", "").substring(0, 12), "jpg",
                            Files.readAllBytes(photo)));
                }
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Seed> generatedSeeds() throws IOException {
        BufferedImage rgb = scene(BufferedImage.TYPE_INT_RGB);
        return List.of(
                new Seed("jpeg-baseline", "jpg", TestImages.encode(rgb, "jpg")),
                new Seed("jpeg-progressive", "jpg", write(rgb, "jpeg", param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT))),
                new Seed("jpeg-gray", "jpg", TestImages.encode(scene(BufferedImage.TYPE_BYTE_GRAY), "jpg")),
                new Seed("png-rgb", "png", TestImages.encode(rgb, "png")),
                new Seed("png-argb", "png", TestImages.encode(scene(BufferedImage.TYPE_INT_ARGB), "png")),
                new Seed("png-indexed", "png", TestImages.encode(scene(BufferedImage.TYPE_BYTE_INDEXED), "png")),
                new Seed("png-interlaced", "png", write(rgb, "png", param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT))),
                new Seed("gif", "gif", TestImages.encode(rgb, "gif")),
                new Seed("gif-animated", "gif", TinyGif.frames(3)),
                new Seed("bmp-24", "bmp", TestImages.encode(rgb, "bmp")),
                new Seed("bmp-rle8", "bmp", write(scene(BufferedImage.TYPE_BYTE_INDEXED), "bmp", param -> {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionType("BI_RLE8");
                })),
                new Seed("tiff", "tif", TestImages.encode(rgb, "tiff")));
    }

    /** A 48 x 32 picture with a gradient and shapes, so every encoder has some structure to encode. */
    private static BufferedImage scene(int type) {
        BufferedImage image = new BufferedImage(48, 32, type);
        Graphics2D g = image.createGraphics();
        for (int x = 0; x < 48; x++) {
            g.setColor(new Color(x * 5, 255 - x * 5, 128));
            g.drawLine(x, 0, x, 31);
        }
        g.setColor(Color.YELLOW);
        g.fillOval(8, 6, 20, 20);
        g.setColor(new Color(0, 0, 0, 128));
        g.fillRect(30, 4, 12, 24);
        g.dispose();
        return image;
    }

    private interface ParamSetting {
        void apply(ImageWriteParam param);
    }

    private static byte[] write(BufferedImage image, String format, ParamSetting setting) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            setting.apply(param);
            writer.write(null, new IIOImage(image, null, writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param)), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Writes {@code COUNT} mutants (default 1000, seed default 15) into {@code DIR}, one file each. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: FuzzCorpus DIR [COUNT [SEED]]");
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 15;
        FuzzCorpus corpus = new FuzzCorpus(seed, defaultSeeds(Path.of(System.getProperty("captioner.shared", "../shared"), "data/flickr8k/images")));
        Path dir = Files.createDirectories(Path.of(args[0]));
        corpus.mutants(count).forEach(mutant -> write(dir, mutant));
        System.out.println(count + " files in " + dir);
    }

    static void write(Path dir, Mutant mutant) {
        try {
            Files.write(dir.resolve(mutant.name()), mutant.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
