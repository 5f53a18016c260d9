package org.captioner.cli;

import org.captioner.data.Dataset;
import org.captioner.data.DatasetLoader;
import org.captioner.data.ImageCaptions;
import org.captioner.data.Split;
import org.captioner.features.BackboneSpec;
import org.captioner.features.ExtractionSummary;
import org.captioner.features.FeatureExtractor;
import org.captioner.features.FeatureStoreManifest;
import org.captioner.features.FeatureStoreWriter;
import org.captioner.features.ImageFailure;
import org.captioner.features.ModelsDirectory;
import org.captioner.features.OnnxBackbone;
import org.captioner.image.Augmentation;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ImageFiles;
import org.captioner.image.ImageLimits;
import org.captioner.image.ResizeMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code captioner features}: extracts backbone features of a set of images into a feature store. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Extracts backbone features of images into a feature store (resumable: images already in the store are skipped).",
                "Exit code 0 when the images that could be read were stored, even if some failed (they are listed); "
                        + ExitCodes.FAILED + " when nothing could be done."})
public final class FeaturesCommand implements Callable<Integer> {
    private static final int FAILURES_LISTED = 20;
    /** A gigapixel: beyond, a picture is a decompression bomb rather than a photo. */
    private static final int MAX_MEGAPIXELS = 1000;
    /** Each view costs a backbone run per train image and 128 KB of store (MobileNetV2); more than a few is rarely worth it. */
    private static final int MAX_VIEWS = 16;

    @Option(names = "--images", required = true, description = "Directory of the image files.")
    Path images;

    @Option(names = "--out", required = true, description = "Feature store directory (created, or resumed).")
    Path out;

    @Option(names = "--backbone", defaultValue = BackboneSpec.DEFAULT_NAME,
            description = "Built-in backbone (mobilenet_v2, mobilenet_v1, squeezenet1_1) or a spec .json file. Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--data", description = "Caption file selecting the images (any format `captioner dataset` reads); default: every image in --images.")
    Path data;

    @Option(names = "--split", defaultValue = "all", description = "With --data: train, dev, test or all. Default: ${DEFAULT-VALUE}.")
    String split;

    @Within(min = 1)
    @Option(names = "--limit", description = "Extract at most N images (after sorting by id), 1 or more.")
    Integer limit;

    @Within(min = 1, max = OptionRanges.MAX_BATCH)
    @Option(names = "--batch", defaultValue = "" + FeatureExtractor.DEFAULT_BATCH_SIZE,
            description = "Images per backbone run, from 1 to " + OptionRanges.MAX_BATCH + ". Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--models-dir", description = "Directory of the ONNX backbones. Default: $" + ModelsDirectory.ENVIRONMENT_VARIABLE
            + ", else <captioner home>/../shared/models.")
    Path modelsDir;

    @Option(names = "--resize", defaultValue = "SQUASH", description = "SQUASH or CENTER_CROP. Default: ${DEFAULT-VALUE}.")
    ResizeMode resize;

    @Within(min = 1, max = OptionRanges.MAX_THREADS)
    @Option(names = "--threads", description = "ONNX Runtime intra-op threads, from 1 to " + OptionRanges.MAX_THREADS
            + ". Default: min(2, cores).")
    Integer threads;

    @Within(min = 1, max = OptionRanges.MAX_THREADS)
    @Option(names = "--decode-threads", defaultValue = "" + FeatureExtractor.DEFAULT_DECODE_THREADS,
            description = "Image decoding threads, from 1 to " + OptionRanges.MAX_THREADS + ". Default: ${DEFAULT-VALUE}.")
    int decodeThreads;

    @Within(min = 1, max = MAX_MEGAPIXELS)
    @Option(names = "--max-megapixels", defaultValue = "100",
            description = "Refuse images larger than this (decompression bombs), from 1 to " + MAX_MEGAPIXELS + ". Default: ${DEFAULT-VALUE}.")
    int maxMegapixels;

    @Within(min = 0, max = MAX_VIEWS)
    @Option(names = "--augment", defaultValue = "0", paramLabel = "N",
            description = "Also store N augmented views (mirrored, cropped, recolored) of every train-split image, from 0 to "
                    + MAX_VIEWS + "; needs --data. Training draws one view per image per epoch. Default: ${DEFAULT-VALUE}.")
    int augment;

    @Option(names = "--augment-seed", defaultValue = "1",
            description = "Seed of the augmented views (each depends only on the seed, the image and its number). Default: ${DEFAULT-VALUE}.")
    long augmentSeed;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = command.commandLine().getErr();
        if (augment > 0 && data == null) {
            throw new ParameterException(command.commandLine(), "--augment needs --data: only train-split images get augmented views");
        }
        List<ImageCaptions> selected = selectImages(err);
        if (limit != null && selected.size() > limit) {
            selected = selected.subList(0, limit);
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no image files (.jpg, .jpeg, .png) in " + images);
        }
        BackboneSpec spec = BackboneSpec.resolve(backbone);
        if (!spec.extractsFeatures()) {
            throw new IllegalArgumentException("backbone " + spec.name() + " has no feature outputs (classification only); use "
                    + BackboneSpec.DEFAULT_NAME);
        }
        ImageDecoder decoder = new ImageDecoder(new ImageLimits(maxMegapixels * 1_000_000L, ImageLimits.DEFAULT.maxFileBytes()));
        try (OnnxBackbone model = OnnxBackbone.open(spec, ModelsDirectory.resolve(modelsDir),
                threads != null ? threads : OnnxBackbone.DEFAULT_INTRA_OP_THREADS, resize);
             FeatureStoreWriter store = FeatureStoreWriter.open(out, FeatureStoreManifest.of(model))) {
            ExtractionSummary summary = new FeatureExtractor(model, decoder, batch, decodeThreads, !noProgress)
                    .withTrainViews(Augmentation.DEFAULT, augment, augmentSeed).extract(selected, store);
            report(summary, store, err);
            boolean nothingDone = summary.extracted() == 0 && summary.alreadyStored() == 0;
            return nothingDone ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }

    /** The one place where the set of images is chosen; the extractor takes any list of images. */
    private List<ImageCaptions> selectImages(PrintWriter err) throws IOException {
        if (data != null) {
            Dataset dataset = DatasetLoader.load(data, DatasetLoader.Options.defaults().withImageDir(images).withRequireImages(true));
            DatasetOptions.report(dataset.problems(), err);
            return split.equals("all") ? dataset.images() : dataset.split(Split.parse(split));
        }
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("--images " + images + " is not a directory");
        }
        return ImageFiles.list(images).stream()
                .map(file -> new ImageCaptions(file.getFileName().toString(), file, List.of(), Split.UNSPLIT))
                .toList();
    }

    private void report(ExtractionSummary summary, FeatureStoreWriter store, PrintWriter err) {
        List<ImageFailure> failures = summary.failures();
        failures.stream().limit(FAILURES_LISTED).forEach(failure -> err.println("  skipped " + failure));
        if (failures.size() > FAILURES_LISTED) {
            err.println("  ... and " + (failures.size() - FAILURES_LISTED) + " more failed images");
        }
        err.println("features: " + summary);
        err.println("features: store " + store.directory() + " now holds " + store.size() + " records of "
                + store.manifest().describe());
    }
}
