package org.captioner.cli;

import org.captioner.Captioner;
import org.captioner.engine.TorchThreads;
import org.captioner.features.ModelsDirectory;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Which model bundle to load and where its backbone is. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR", description = "Model bundle directory (default: models/default of this Captioner).")
    Path bundle;

    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Folder of the ONNX backbones (default: $CAPTIONER_MODELS, else ../shared/models beside Captioner).")
    Path modelsDir;

    @Within(min = 1, max = OptionRanges.MAX_THREADS)
    @Option(names = "--decoder-threads", paramLabel = "N", defaultValue = "1",
            description = "libtorch threads of the caption decoder, from 1 to " + OptionRanges.MAX_THREADS + ". Beam search on "
                    + "one picture is memory-bound and fastest on one thread; 2 give batch jobs (evaluate, folders) more "
                    + "throughput (bench/README.md). Default: ${DEFAULT-VALUE}.")
    int decoderThreads;

    Captioner load() throws IOException {
        TorchThreads.set(decoderThreads);
        return Captioner.load(bundle != null ? bundle : Captioner.defaultBundle(), ModelsDirectory.resolve(modelsDir));
    }
}
