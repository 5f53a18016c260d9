package org.captioner.serve;

import org.captioner.Captioner;
import org.captioner.bundle.BundleManifest;

/**
 * The model a server captions with.
 *
 * @param name     shown to clients, e.g. the bundle's directory name
 * @param manifest what the model is and where it came from
 * @param vocabularySize words the model knows
 * @param engine   captions batches of pictures
 */
public record LoadedModel(String name, BundleManifest manifest, int vocabularySize, CaptionEngine engine) {

    public static LoadedModel of(String name, Captioner captioner) {
        return new LoadedModel(name, captioner.manifest(), captioner.vocabulary().size(), CaptionEngine.of(captioner));
    }

    /** The same model captioning through {@code other}, e.g. an engine wrapped to observe or delay batches. */
    public LoadedModel withEngine(CaptionEngine other) {
        return new LoadedModel(name, manifest, vocabularySize, other);
    }
}
