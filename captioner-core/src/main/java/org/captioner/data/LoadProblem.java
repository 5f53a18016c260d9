package org.captioner.data;

import java.nio.file.Path;

/** Something in an input file that was skipped; reported to the user, never fatal on its own. */
public record LoadProblem(Path file, long line, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
