package org.captioner.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.captioner.model.CaptionModel;
import org.captioner.model.WeightPrecision;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A weighted average of the weights of bundles fine-tuned from one start (a "model soup", Wortsman et al. 2022):
 * such models lie in one basin, and their average often scores better than each of them, at no cost when
 * captioning. Averaging models trained from different starts gives a poor model; this cannot tell, only
 * {@code evaluate} can.
 */
public final class BundleAverage {
    /** A bundle and its share of the average (relative to the other parts' weights). */
    public record Part(Path bundle, double weight) {
        public Part {
            Objects.requireNonNull(bundle, "bundle");
            if (!(weight > 0) || !Double.isFinite(weight)) {
                throw new IllegalArgumentException("the weight of " + bundle + " must be above 0 and finite, not " + weight);
            }
        }
    }

    private BundleAverage() {
    }

    /**
     * Writes to {@code out} the bundle whose every weight is the weighted mean of the parts' (weights divided by their
     * sum). Everything else (vocabulary, backbone, preprocessing, decoding defaults) comes from the first part and must
     * be the same in every part; dev scores are left out, since only an evaluation can tell them.
     *
     * @param provenance facts to record besides the parts (e.g. the command)
     */
    public static ModelBundle write(Path out, List<Part> parts, Map<String, String> provenance) throws IOException {
        if (parts.size() < 2) {
            throw new IllegalArgumentException("averaging needs two bundles or more, not " + parts.size());
        }
        double total = parts.stream().mapToDouble(Part::weight).sum();
        List<ModelBundle> bundles = new ArrayList<>();
        for (Part part : parts) {
            bundles.add(ModelBundle.read(part.bundle()));
        }
        ModelBundle first = bundles.get(0);
        for (ModelBundle other : bundles.subList(1, bundles.size())) {
            requireSameModel(first, other);
        }
        try (NDManager manager = NDManager.newBaseManager(); CaptionModel average = first.loadModel(manager)) {
            Map<String, float[]> sums = new LinkedHashMap<>();
            for (int i = 0; i < bundles.size(); i++) {
                float share = (float) (parts.get(i).weight() / total);
                try (NDManager partManager = manager.newSubManager(); CaptionModel model = bundles.get(i).loadModel(partManager)) {
                    for (Map.Entry<String, NDArray> tensor : model.parameters().tensors().entrySet()) {
                        float[] values = tensor.getValue().toFloatArray();
                        float[] sum = sums.computeIfAbsent(tensor.getKey(), name -> new float[values.length]);
                        for (int j = 0; j < values.length; j++) {
                            sum[j] += share * values[j];
                        }
                    }
                }
            }
            sums.forEach(average.parameters()::assign);
            ModelBundle.write(out, manifest(first.manifest(), parts, bundles, provenance), first.vocabulary(), average,
                    WeightPrecision.FLOAT16, List.of());
        }
        return ModelBundle.read(out);
    }

    private static void requireSameModel(ModelBundle first, ModelBundle other) {
        String differs = !first.modelConfig().equals(other.modelConfig()) ? "model (model.json)"
                : !first.vocabulary().words().equals(other.vocabulary().words()) ? "vocabulary (vocab.tsv)"
                : !first.manifest().backbone().equals(other.manifest().backbone()) ? "backbone"
                : !first.manifest().resize().equals(other.manifest().resize()) ? "resize"
                : !first.manifest().normalizer().equals(other.manifest().normalizer()) ? "text normalizer"
                : null;
        if (differs != null) {
            throw new IllegalArgumentException(other.directory() + " cannot be averaged with " + first.directory()
                    + ": its " + differs + " differs (average bundles fine-tuned from one start)");
        }
    }

    private static BundleManifest manifest(BundleManifest first, List<Part> parts, List<ModelBundle> bundles,
                                           Map<String, String> provenance) {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            sources.add(parts.get(i).bundle() + " (weight " + parts.get(i).weight() + ", weights sha256 "
                    + bundles.get(i).weightsSha256() + ")");
        }
        Map<String, String> facts = new LinkedHashMap<>(provenance);
        facts.put("averageOf", String.join("; ", sources));
        facts.put("created", Instant.now().toString());
        return new BundleManifest(ModelBundle.FORMAT, ModelBundle.VERSION, first.family(), first.backbone(),
                first.resize(), first.gridHeight(), first.gridWidth(), first.normalizer(), first.decoding(), Map.of(),
                facts);
    }
}
