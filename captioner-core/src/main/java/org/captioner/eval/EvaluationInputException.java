package org.captioner.eval;

/** A reference or candidate file that cannot be evaluated as given; the message names the file and the entry. */
public class EvaluationInputException extends RuntimeException {
    public EvaluationInputException(String message) {
        super(message);
    }

    public EvaluationInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
