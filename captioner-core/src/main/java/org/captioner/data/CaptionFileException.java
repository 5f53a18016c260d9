package org.captioner.data;

/** A caption file read strictly stopped at its first problem; the message names the file and the entry. */
public class CaptionFileException extends RuntimeException {
    public CaptionFileException(String message) {
        super(message);
    }
}
