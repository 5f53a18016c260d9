package org.captioner.train;

import java.io.IOException;
import java.nio.file.Path;

/** Training stopped on request (e.g. SIGTERM) after saving a checkpoint that {@code --resume} continues. */
public final class TrainingStoppedException extends IOException {
    public TrainingStoppedException(Path runDirectory, long step) {
        super("stopped on request at step " + step + "; the checkpoint in " + runDirectory
                + " continues the run with --resume");
    }
}
