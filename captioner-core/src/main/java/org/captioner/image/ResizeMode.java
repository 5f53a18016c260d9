package org.captioner.image;

/** How a picture is brought to the backbone's square input. */
public enum ResizeMode {
    /** Stretch the whole picture to the square: nothing is lost, shapes are distorted. */
    SQUASH,
    /** Scale the short side to the square and cut the middle out: shapes are kept, the edges are lost. */
    CENTER_CROP
}
