package org.captioner.spark;

import org.captioner.Captioner;
import org.captioner.features.OnnxBackbone;
import org.captioner.engine.TorchThreads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of this JVM: each executor loads a bundle or backbone once, on its first task, and every later
 * task of any job shares it (Captioner and OnnxBackbone are thread-safe). They live as long as the JVM.
 */
final class ExecutorModels {
    private static final Map<ModelRef, Captioner> CAPTIONERS = new ConcurrentHashMap<>();
    private static final Map<BackboneRef, OnnxBackbone> BACKBONES = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    /** The captioner of {@code model}, loaded here once; its weights must be the ones the driver saw. */
    static Captioner captioner(ModelRef model) {
        return CAPTIONERS.computeIfAbsent(model, ExecutorModels::loadCaptioner);
    }

    static OnnxBackbone backbone(BackboneRef backbone) {
        return BACKBONES.computeIfAbsent(backbone, ExecutorModels::openBackbone);
    }

    private static Captioner loadCaptioner(ModelRef model) {
        Path bundle = model.localBundle();
        try {
            TorchThreads.set(model.decoderThreads());
            Captioner captioner = Captioner.load(bundle, model.localModelsDir());
            if (!captioner.weightsSha256().equals(model.weightsSha256())) {
                captioner.close();
                throw new IOException("weights sha256 " + captioner.weightsSha256() + " differs from the driver's "
                        + model.weightsSha256() + " (another version of the bundle on this machine)");
            }
            return captioner;
        } catch (IOException e) {
            throw new UncheckedIOException("executor cannot load model bundle " + bundle + ": " + e.getMessage(), e);
        }
    }

    private static OnnxBackbone openBackbone(BackboneRef backbone) {
        try {
            return OnnxBackbone.open(backbone.spec(), backbone.localModelsDir(),
                    OnnxBackbone.DEFAULT_INTRA_OP_THREADS, backbone.resize());
        } catch (IOException e) {
            throw new UncheckedIOException("executor cannot open backbone " + backbone.specJson() + ": " + e.getMessage(), e);
        }
    }
}
