package org.captioner.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Region features of several images as one [B, R, C] float32 array. They are read straight into direct memory that
 * libtorch takes as the tensor's own (DJL's {@code create} of a direct byte buffer copies nothing), so the features are
 * copied once, from the source into that memory, and the reading can happen on another thread ({@link #read}).
 */
public final class RegionBatch {
    private RegionBatch() {
    }

    /**
     * Features read into tensor-ready memory, not yet an array.
     *
     * @param memory direct, native byte order, position 0, limit = the features' bytes
     */
    public record Features(ByteBuffer memory, Shape shape) {

        /** The [B, R, C] array over {@link #memory} itself: refill that memory only once the array is closed. */
        public NDArray wrap(NDManager manager) {
            return manager.create(memory, shape, DataType.FLOAT32);
        }
    }

    public static NDArray load(NDManager manager, FeatureSource source, List<String> imageIds) {
        return read(source, imageIds, null).wrap(manager);
    }

    /**
     * Reads the region features of {@code imageIds} into {@code reuse} when it holds them (else into new memory).
     * Thread-safe when the source is.
     */
    public static Features read(FeatureSource source, List<String> imageIds, ByteBuffer reuse) {
        int perImage = source.regions() * source.channels();
        int bytes = Math.multiplyExact(Math.multiplyExact(imageIds.size(), perImage), Float.BYTES);
        ByteBuffer memory = reuse != null && reuse.capacity() >= bytes
                ? reuse.clear() : ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        memory.limit(bytes);
        FloatBuffer values = memory.asFloatBuffer();
        float[] one = new float[perImage];
        for (String imageId : imageIds) {
            source.regionFeatures(imageId, one);
            values.put(one);
        }
        return new Features(memory, new Shape(imageIds.size(), source.regions(), source.channels()));
    }
}
