package org.captioner.serve;

import org.captioner.decode.DecodingOptions;
import org.captioner.decode.DecodingOptions.Strategy;

import java.util.Locale;
import java.util.function.Function;

/**
 * The options a caption request may set, read from the query string or the request body:
 * {@code beam} (beam width, 1 = greedy), {@code n} (captions wanted), {@code max_length} (tokens) and
 * {@code attention} (include per-word attention weights). Unset options keep the model's defaults.
 *
 * @param decoding  how to decode
 * @param attention whether the answer carries words and attention weights
 */
record CaptionRequest(DecodingOptions decoding, boolean attention) {
    /** Bounds that keep one request from occupying the model for long. */
    static final int MAX_BEAM = 10;
    static final int MAX_LENGTH = 50;

    /** @param parameter looks an option up by name; null when the request does not give it */
    static CaptionRequest parse(Function<String, String> parameter, DecodingOptions defaults) {
        int beam = integer(parameter, "beam", defaults.strategy() == Strategy.SAMPLE ? 1 : defaults.beamWidth(), MAX_BEAM);
        int count = integer(parameter, "n", 1, MAX_BEAM);
        int maxLength = integer(parameter, "max_length", Math.min(defaults.maxLength(), MAX_LENGTH), MAX_LENGTH);
        boolean attention = bool(parameter, "attention");
        if (count > beam) {
            throw new ApiError(400, "invalid_option",
                    "n (" + count + ") cannot exceed beam (" + beam + "): the captions are the best n beams");
        }
        Strategy strategy = beam == 1 ? Strategy.GREEDY : Strategy.BEAM;
        DecodingOptions decoding = new DecodingOptions(strategy, beam, defaults.lengthPenalty(), maxLength,
                defaults.noRepeatNgramSize(), 1, 0, 1, count, 0);
        return new CaptionRequest(decoding, attention);
    }

    private static int integer(Function<String, String> parameter, String name, int fallback, int max) {
        String text = parameter.apply(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw new ApiError(400, "invalid_option", name + " must be a whole number from 1 to " + max);
    }

    private static boolean bool(Function<String, String> parameter, String name) {
        String text = parameter.apply(name);
        if (text == null || text.isBlank()) {
            return false;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ApiError(400, "invalid_option", name + " must be true or false");
        };
    }
}
