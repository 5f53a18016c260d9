package org.captioner.decode;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.captioner.SharedData;
import org.captioner.bundle.ModelBundle;
import org.captioner.features.BackboneFeatures;
import org.captioner.features.OnnxBackbone;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ResizeMode;
import org.captioner.model.CaptionModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped model ({@code models/default}) captions 50 Flickr8k dev images identically through the plain-Java
 * steps and through the training model in DJL, with its own decoding (beam 3, length penalty, no repeated bigram).
 */
class GruAttentionStepRealImagesTest {
    private static final int IMAGES = 50;

    @Test
    void shippedModelGivesTheSameCaptionsOnDevImages() throws Exception {
        Path bundleDirectory = Path.of("..", "models", "default");
        Path flickr = SharedData.flickr8k();
        assumeTrue(Files.isDirectory(bundleDirectory) && Files.isDirectory(flickr.resolve("images")), "no bundle or images");
        List<String> dev = Files.readAllLines(flickr.resolve("Flickr_8k.devImages.txt")).stream()
                .filter(line -> !line.isBlank()).limit(IMAGES).toList();
        ModelBundle bundle = ModelBundle.read(bundleDirectory);
        float[] regions;
        int regionCount;
        int channels;
        try (OnnxBackbone backbone = OnnxBackbone.open(bundle.manifest().backbone(), SharedData.models(), 1,
                ResizeMode.valueOf(bundle.manifest().resize()))) {
            ImageDecoder decoder = backbone.imageDecoder();
            List<float[]> tensors = new ArrayList<>();
            for (String image : dev) {
                tensors.add(backbone.preprocessor().toTensor(decoder.decode(flickr.resolve("images").resolve(image.trim()))));
            }
            regionCount = backbone.regions();
            channels = backbone.channels();
            regions = new float[IMAGES * regionCount * channels];
            List<BackboneFeatures> features = backbone.extractTensors(tensors);
            for (int i = 0; i < IMAGES; i++) {
                System.arraycopy(features.get(i).regionFeatures(), 0, regions, i * regionCount * channels, regionCount * channels);
            }
        }
        DecodingOptions options = bundle.manifest().decoding();
        try (NDManager manager = NDManager.newBaseManager(); CaptionModel model = bundle.loadModel(manager)) {
            List<List<GeneratedCaption>> java = CaptionDecoder.decode(DecoderStep.of(model), regions, IMAGES, options);
            List<List<GeneratedCaption>> torch = CaptionDecoder.decode(model,
                    manager.create(regions, new Shape(IMAGES, regionCount, channels)), options);
            GruAttentionStepTest.assertSameCaptions(java, torch);
        }
    }
}
