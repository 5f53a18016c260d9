package org.captioner.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.Objects;
import java.util.stream.Collectors;

/** One-line descriptions of why a JSON file was refused, naming the field. */
public final class JsonErrors {
    private JsonErrors() {
    }

    /**
     * A value the constructor refused: where it sits and the constructor's message, e.g.
     * {@code decoding: beamWidth must be from 1 to 20, not 100000}; otherwise Jackson's own message.
     */
    public static String describe(JacksonException e) {
        if (e instanceof ValueInstantiationException refused && refused.getCause() != null
                && refused.getCause().getMessage() != null) {
            String path = refused.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(Objects::nonNull).collect(Collectors.joining("."));
            return (path.isEmpty() ? "" : path + ": ") + refused.getCause().getMessage();
        }
        return e.getOriginalMessage();
    }
}
