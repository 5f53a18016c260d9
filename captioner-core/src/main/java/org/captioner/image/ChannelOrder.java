package org.captioner.image;

/** Order of the color planes a backbone expects in its NCHW input. */
public enum ChannelOrder {
    RGB, BGR
}
