package org.captioner.model;

/** How weights are stored on disk; they are always float32 in memory. */
public enum WeightPrecision {
    FLOAT32,
    /** Half the size; loading widens back to float32 (relative error per weight up to 2^-11). */
    FLOAT16
}
