package org.captioner.model;

import org.captioner.engine.NoGradient;
import org.captioner.io.AtomicFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A model's trainable tensors by name, in a fixed order (the order initialization, saving and the optimizer use).
 * Tensors are float32 and live in the owner's manager.
 *
 * <p>Tensor list format (also embedded in training checkpoints): int count, then per tensor: UTF name, byte precision
 * (0 float32, 1 float16), int rank, long dims, then the values little-endian.
 */
public final class ParameterSet {
    private static final int MAGIC = 0x43415057; // "CAPW"
    private static final int FORMAT_VERSION = 1;
    private static final byte FLOAT32_TAG = 0;
    private static final byte FLOAT16_TAG = 1;
    /** The whole of a tensor, as an index. */
    private static final NDIndex EVERYTHING = new NDIndex("...");

    private final NDManager manager;
    private final Random initRandom;
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();
    private final Map<String, NDArray> trainable = new LinkedHashMap<>();

    /** @param seed seeds initial values, drawn in Java so they do not depend on the engine's generator */
    public ParameterSet(NDManager manager, long seed) {
        this.manager = manager;
        this.initRandom = new Random(seed);
    }

    /** Adds a trainable [in, out] matrix with Glorot-uniform values. */
    public NDArray glorot(String name, long inputs, long outputs) {
        return uniform(name, Math.sqrt(6.0 / (inputs + outputs)), inputs, outputs);
    }

    /** Adds a trainable tensor with values uniform in [-limit, limit]. */
    public NDArray uniform(String name, double limit, long... shape) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((initRandom.nextDouble() * 2 - 1) * limit);
        }
        return add(name, manager.create(values, new Shape(shape)));
    }

    public NDArray ones(String name, long... shape) {
        return add(name, manager.ones(new Shape(shape), DataType.FLOAT32));
    }

    public NDArray zeros(String name, long... shape) {
        return add(name, manager.zeros(new Shape(shape), DataType.FLOAT32));
    }

    private NDArray add(String name, NDArray tensor) {
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("duplicate parameter " + name);
        }
        tensor.setName(name);
        tensor.setRequiresGradient(true);
        tensors.put(name, tensor);
        trainable.put(name, tensor);
        return tensor;
    }

    /** Every tensor (trainable or frozen): what is saved, loaded and checkpointed. */
    public Map<String, NDArray> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** The tensors training updates (all but the frozen ones), in the same order. */
    public Map<String, NDArray> trainable() {
        return Collections.unmodifiableMap(trainable);
    }

    /** Keeps tensor {@code name} out of training: no gradient is recorded for it and optimizers skip it. */
    public void freeze(String name) {
        NDArray tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        tensor.setRequiresGradient(false);
        trainable.remove(name);
    }

    /** Overwrites tensor {@code name} with {@code values} (row-major, same size), outside autograd. */
    public void assign(String name, float[] values) {
        NDArray tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        try (NoGradient noGradient = NoGradient.scope()) {
            overwrite(tensor, values);
        }
    }

    /**
     * Copies {@code values} into {@code target} through an indexed assignment: DJL's {@code NDArray.set(float[])}
     * goes through libtorch's deprecated AutoNonVariableTypeMode, which prints a warning on the user's terminal.
     */
    private static void overwrite(NDArray target, float[] values) {
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            target.set(EVERYTHING, source);
        }
    }

    public long count() {
        return tensors.values().stream().mapToLong(t -> t.getShape().size()).sum();
    }

    /** Writes a weights file ({@code CAPW} magic, format version, then the tensors), atomically. */
    public void save(Path file, WeightPrecision precision) throws IOException {
        AtomicFiles.write(file, out -> {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            writeTensors(out, tensors, precision);
        });
    }

    /** Overwrites every tensor with the values of a weights file; names and shapes must match. */
    public void load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a Captioner weights file");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException(file + " has weights format " + version + ", this build reads " + FORMAT_VERSION);
            }
            readInto(in, tensors);
        }
    }

    /** Writes this set's tensors (no file header), e.g. into a larger file such as a checkpoint. */
    public void writeTensors(DataOutputStream out, WeightPrecision precision) throws IOException {
        writeTensors(out, tensors, precision);
    }

    /** Reads what {@link #writeTensors(DataOutputStream, WeightPrecision)} wrote into this set's tensors. */
    public void readTensors(DataInputStream in) throws IOException {
        readInto(in, tensors);
    }

    /** Writes named tensors; see the class comment for the format. */
    public static void writeTensors(DataOutputStream out, Map<String, NDArray> named, WeightPrecision precision)
            throws IOException {
        out.writeInt(named.size());
        for (Map.Entry<String, NDArray> entry : named.entrySet()) {
            NDArray tensor = entry.getValue();
            long[] dims = tensor.getShape().getShape();
            out.writeUTF(entry.getKey());
            out.writeByte(precision == WeightPrecision.FLOAT16 ? FLOAT16_TAG : FLOAT32_TAG);
            out.writeInt(dims.length);
            for (long dim : dims) {
                out.writeLong(dim);
            }
            out.write(littleEndianBytes(tensor, precision));
        }
    }

    /** Reads tensors written by {@link #writeTensors} into existing tensors of the same names and shapes. */
    public static void readInto(DataInputStream in, Map<String, NDArray> named) throws IOException {
        try (NoGradient noGradient = NoGradient.scope()) {
            readTensorsInto(in, named);
        }
    }

    private static void readTensorsInto(DataInputStream in, Map<String, NDArray> named) throws IOException {
        int count = in.readInt();
        if (count != named.size()) {
            throw new IOException("file has " + count + " tensors, expected " + named.size());
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            byte tag = in.readByte();
            long[] dims = new long[in.readInt()];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.readLong();
            }
            NDArray target = named.get(name);
            if (target == null || !target.getShape().equals(new Shape(dims))) {
                throw new IOException("unexpected tensor " + name + " " + new Shape(dims)
                        + (target == null ? " (unknown name)" : ", expected " + target.getShape()));
            }
            long values = new Shape(dims).size();
            byte[] bytes = new byte[Math.toIntExact(values * (tag == FLOAT16_TAG ? 2 : 4))];
            in.readFully(bytes);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (tag == FLOAT16_TAG) {
                try (NDArray half = target.getManager().create(nativeOrderCopy(buffer), target.getShape(), DataType.FLOAT16);
                     NDArray widened = half.toType(DataType.FLOAT32, false)) {
                    target.set(EVERYTHING, widened);
                }
            } else {
                float[] floats = new float[Math.toIntExact(values)];
                buffer.asFloatBuffer().get(floats);
                overwrite(target, floats);
            }
        }
    }

    private static byte[] littleEndianBytes(NDArray tensor, WeightPrecision precision) {
        if (precision == WeightPrecision.FLOAT16) {
            try (NDArray half = tensor.toType(DataType.FLOAT16, false)) {
                ByteBuffer nativeBytes = half.toByteBuffer();
                ByteBuffer little = ByteBuffer.allocate(nativeBytes.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                little.asShortBuffer().put(nativeBytes.asShortBuffer());
                return little.array();
            }
        }
        float[] values = tensor.toFloatArray();
        ByteBuffer little = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        little.asFloatBuffer().put(values);
        return little.array();
    }

    private static ByteBuffer nativeOrderCopy(ByteBuffer littleEndianHalves) {
        ByteBuffer copy = ByteBuffer.allocateDirect(littleEndianHalves.remaining()).order(ByteOrder.nativeOrder());
        copy.asShortBuffer().put(littleEndianHalves.asShortBuffer());
        return copy;
    }
}
