package org.captioner.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.nio.file.Path;

/**
 * How libtorch multiplies float32 matrices on the CPU. Tensors, weights, gradients and optimizer state stay float32
 * either way; only the products' inner arithmetic may change.
 *
 * <p>{@link #BF16} is PyTorch's {@code torch.set_float32_matmul_precision("medium")}: libtorch hands float32 products
 * to oneDNN instead of MKL, allowing it to round the factors to bfloat16 (sums stay float32), on CPUs with AVX-512;
 * elsewhere libtorch ignores it. On the reference AMD EPYC, oneDNN chose float32 kernels anyway (products within
 * 6e-7 relative of MKL's) that ran 2-2.5 times faster than MKL's, which takes a slower path on AMD processors
 * (bench/README.md, "Training speed"); a CPU with AMX may really compute in bfloat16. DJL 0.35 offers neither this
 * switch nor bfloat16 tensors (its JNI aborts the JVM on a bfloat16 cast), so the switch is set through libtorch's
 * exported C++ entry points with JNA.
 */
public enum MatmulPrecision {
    @JsonProperty("fp32") FP32(0),
    @JsonProperty("bf16") BF16(2);

    /** Whether anything in this process ever left full precision; until then FP32 needs no native call. */
    private static volatile boolean switched;
    /** libtorch's {@code at::Float32MatmulPrecision} values: HIGHEST, HIGH, MEDIUM. */
    private final int libtorchValue;

    MatmulPrecision(int libtorchValue) {
        this.libtorchValue = libtorchValue;
    }

    /** By its name in recipes, {@code fp32} or {@code bf16}. */
    public static MatmulPrecision of(String name) {
        for (MatmulPrecision precision : values()) {
            if (precision.name().equalsIgnoreCase(name)) {
                return precision;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "'; expected fp32 or bf16");
    }

    /** Until closed, every float32 product of this process (all threads) uses this precision; closing restores the previous one. */
    public Scope use() {
        if (this == FP32 && !switched) {
            return () -> { };
        }
        switched = true;
        int previous = Switch.get();
        Switch.set(libtorchValue);
        return () -> Switch.set(previous);
    }

    /** Restores the previous precision. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** libtorch's global context and its accessors, looked up on first use. */
    private static final class Switch {
        private static final Pointer CONTEXT;
        private static final Function GETTER;
        private static final Function SETTER;

        static {
            Engine.getEngine("PyTorch"); // loads libtorch
            Path library = Path.of(LibUtils.getLibtorchPath()).resolve(System.mapLibraryName("torch_cpu"));
            try {
                NativeLibrary torch = NativeLibrary.getInstance(library.toString());
                CONTEXT = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
                GETTER = torch.getFunction("_ZNK2at7Context22float32MatmulPrecisionEv");
                SETTER = torch.getFunction("_ZN2at7Context25setFloat32MatmulPrecisionENS_22Float32MatmulPrecisionE");
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException("training.precision bf16 is not available with this libtorch ("
                        + library + "): " + e.getMessage() + "; use fp32", e);
            }
        }

        static int get() {
            return GETTER.invokeInt(new Object[] {CONTEXT});
        }

        static void set(int value) {
            SETTER.invokeVoid(new Object[] {CONTEXT, value});
        }
    }
}
