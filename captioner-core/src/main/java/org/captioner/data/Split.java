package org.captioner.data;

import java.util.Locale;

/** Which part of a dataset an image belongs to. Splits are always by image, never by caption. */
public enum Split {
    TRAIN, DEV, TEST,
    /** In the dataset but in no official split (Flickr8k has 91 such images). */
    UNSPLIT;

    /** Parses "train", "dev", "val", "validation", "test", "restval" (Karpathy's extra train images). */
    public static Split parse(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "train": case "restval": return TRAIN;
            case "dev": case "val": case "validation": return DEV;
            case "test": return TEST;
            case "unsplit": case "none": return UNSPLIT;
            default: throw new IllegalArgumentException("unknown split '" + name + "' (expected train, dev/val, test)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
