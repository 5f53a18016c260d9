package org.captioner.train;

import org.captioner.decode.CaptionDecoder;
import org.captioner.decode.DecodingOptions;
import org.captioner.decode.GeneratedCaption;
import org.captioner.eval.SplitEvaluation;
import org.captioner.features.FeatureSource;
import org.captioner.model.CaptionModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The captioner of a split for {@link SplitEvaluation} while training: a model on cached features, each image's
 * best caption turned into text by {@code words} (e.g. {@code Vocabulary::decode}).
 */
public record FeatureCaptioner(CaptionModel model, FeatureSource features, DecodingOptions options, int batch,
                               Function<int[], String> words) implements SplitEvaluation.ImageCaptioner {
    @Override
    public Map<String, String> caption(List<String> imageIds) {
        List<List<GeneratedCaption>> generated = CaptionDecoder.decode(model, features, imageIds, options, batch);
        Map<String, String> captions = new LinkedHashMap<>();
        for (int i = 0; i < imageIds.size(); i++) {
            captions.put(imageIds.get(i), words.apply(generated.get(i).get(0).tokens()));
        }
        return captions;
    }
}
