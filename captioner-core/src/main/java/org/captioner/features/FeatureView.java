package org.captioner.features;

/**
 * An augmented view of a training image, stored in a feature store next to the image's plain features under its own
 * id (docs/features.md, "Augmented views").
 *
 * @param viewId    the view's id in the store, {@link #idOf(String, int) imageId#viewN}
 * @param imageId   the image it was made from (whose plain features are stored under this id)
 * @param flipped   mirrored left to right: the image's captions read with "left" and "right" swapped
 * @param transform what was applied, for people (e.g. {@code flip crop=0.050,0.100,0.880 brightness=1.040 ...})
 */
public record FeatureView(String viewId, String imageId, boolean flipped, String transform) {
    private static final String MARK = "#view";

    public FeatureView {
        requireField(viewId, "viewId", false);
        requireField(imageId, "imageId", false);
        requireField(transform, "transform", true);
    }

    private static void requireField(String value, String name, boolean mayBeEmpty) {
        if (value.isEmpty() && !mayBeEmpty || value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("view " + name + " must be one " + (mayBeEmpty ? "" : "non-empty ")
                    + "line without tabs: '" + value + "'");
        }
    }

    /** The store id of view {@code view} (1, 2, ...) of {@code imageId}. */
    public static String idOf(String imageId, int view) {
        return imageId + MARK + view;
    }
}
