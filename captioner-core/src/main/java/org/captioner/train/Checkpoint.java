package org.captioner.train;

import org.captioner.io.AtomicFiles;
import org.captioner.model.CaptionModel;
import org.captioner.model.ModelConfig;
import org.captioner.model.ModelFiles;
import org.captioner.model.WeightPrecision;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The single file a run resumes from: {@code CAPC} magic, version, a JSON header (train config, model config,
 * progress), the weights (float32), then Adam's step count and moments. Written atomically.
 */
final class Checkpoint {
    static final String FILE = "checkpoint.bin";
    private static final int MAGIC = 0x43415043; // "CAPC"
    private static final int FORMAT_VERSION = 1;

    private record Header(TrainingConfig train, ModelConfig model, TrainingProgress progress) {
    }

    private Checkpoint() {
    }

    static void save(Path runDirectory, TrainingConfig config, CaptionModel model, Adam optimizer,
                     TrainingProgress progress) throws IOException {
        byte[] header = ModelFiles.json().writeValueAsBytes(new Header(config, model.config(), progress));
        AtomicFiles.write(runDirectory.resolve(FILE), out -> {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(header.length);
            out.write(header);
            model.parameters().writeTensors(out, WeightPrecision.FLOAT32);
            optimizer.write(out);
        });
    }

    /**
     * Restores weights and optimizer state into {@code model} and {@code optimizer}, returning the progress.
     * Refuses a checkpoint of another architecture, or of a config that would take other steps.
     */
    static TrainingProgress load(Path runDirectory, TrainingConfig config, CaptionModel model, Adam optimizer)
            throws IOException {
        Path file = runDirectory.resolve(FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT_VERSION) {
                throw new IOException(file + " is not a checkpoint of this format");
            }
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            Header header = ModelFiles.json().readValue(bytes, Header.class);
            if (!header.model().equals(model.config())) {
                throw new IOException("checkpoint is of model " + header.model() + ", not " + model.config());
            }
            if (!header.train().sameTrajectoryAs(config)) {
                throw new IOException("checkpoint was trained with " + header.train() + "; resuming with " + config
                        + " would not continue the same run (only stopping rules may change)");
            }
            model.parameters().readTensors(in);
            optimizer.read(in);
            return header.progress();
        }
    }

    static boolean exists(Path runDirectory) {
        return Files.isRegularFile(runDirectory.resolve(FILE));
    }
}
