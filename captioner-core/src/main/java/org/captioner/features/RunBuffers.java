package org.captioner.features;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Native memory for one ONNX Runtime run of the backbone, kept from run to run: the input the preprocessed pictures
 * are written into, which ONNX Runtime reads in place, and the outputs it writes into (pinned outputs). Before, every
 * run copied its input from a heap buffer into a fresh direct one and every output into a fresh heap buffer, and
 * the fresh memory had to be zeroed and faulted in each time. One run at a time uses a set.
 */
final class RunBuffers {
    private final FloatBuffer input;
    private final FloatBuffer spatial;
    private final FloatBuffer pooled;

    /** Room for {@code pictures} pictures; no pooled buffer when {@code pooledFloats} is 0. */
    RunBuffers(int pictures, int inputFloats, int spatialFloats, int pooledFloats) {
        this.input = direct(pictures, inputFloats);
        this.spatial = direct(pictures, spatialFloats);
        this.pooled = pooledFloats == 0 ? null : direct(pictures, pooledFloats);
    }

    private static FloatBuffer direct(int pictures, int floatsPerPicture) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(Math.multiplyExact(pictures, floatsPerPicture), Float.BYTES))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The input buffer holding {@code tensors} one after the other, ready to be read. */
    FloatBuffer input(List<float[]> tensors, int floatsPerPicture) {
        input.clear();
        for (float[] tensor : tensors) {
            if (tensor.length != floatsPerPicture) {
                throw new IllegalArgumentException("tensor of " + tensor.length + " floats, expected " + floatsPerPicture);
            }
            input.put(tensor);
        }
        return input.flip();
    }

    /** The first {@code floats} of the spatial output buffer. */
    FloatBuffer spatial(int floats) {
        return spatial.clear().limit(floats);
    }

    /** The first {@code floats} of the pooled output buffer (there must be one). */
    FloatBuffer pooled(int floats) {
        return pooled.clear().limit(floats);
    }
}
