package org.captioner;

/**
 * What the backbone saw in a batch of pictures, ready for decoding: the first half of captioning, which
 * {@link Captioner#features} computes and {@link Captioner#caption(PictureFeatures, org.captioner.decode.DecodingOptions)}
 * finishes. Split so a pipeline can run the backbone on one batch while another is decoded.
 *
 * @param regionFeatures [pictures, regions, channels] row-major
 * @param pictures       how many pictures
 */
public record PictureFeatures(float[] regionFeatures, int pictures) {
}
