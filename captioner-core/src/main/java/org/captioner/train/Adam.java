package org.captioner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.captioner.engine.NoGradient;
import org.captioner.model.ParameterSet;
import org.captioner.model.WeightPrecision;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with global-norm gradient clipping, written on NDArrays so that its moments and step count can be
 * checkpointed (DJL's optimizers keep their state out of reach).
 */
public final class Adam implements AutoCloseable {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    private static final float NO_WEIGHT_DECAY = 0f;
    /** DJL's element-wise clipping is off below 0; the global-norm clipping goes through the rescaling. */
    private static final float NO_CLIPPING = -1f;

    private final ParameterSet parameters;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private final double averagingDecay;
    private final Map<String, NDArray> averages = new LinkedHashMap<>();
    private long updates;

    public Adam(ParameterSet parameters, NDManager parent) {
        this(parameters, parent, 0);
    }

    /**
     * @param averagingDecay above 0: also keep an exponential moving average of each trainable weight, updated
     *                       after every step ({@code average = d·average + (1 − d)·weight}, started at zero and
     *                       divided by {@code 1 − d^steps} as Adam's moments are, so the random initial weights
     *                       never linger in it); see {@link #averagedWeights}
     */
    public Adam(ParameterSet parameters, NDManager parent, double averagingDecay) {
        this.parameters = parameters;
        this.manager = parent.newSubManager();
        this.averagingDecay = averagingDecay;
        for (Map.Entry<String, NDArray> p : parameters.trainable().entrySet()) {
            firstMoments.put(p.getKey(), manager.zeros(p.getValue().getShape(), DataType.FLOAT32));
            secondMoments.put(p.getKey(), manager.zeros(p.getValue().getShape(), DataType.FLOAT32));
            if (averagingDecay > 0) {
                averages.put(p.getKey(), manager.zeros(p.getValue().getShape(), DataType.FLOAT32));
            }
        }
    }

    /**
     * Applies the accumulated gradients, then zeroes them (PyTorch accumulates across backward passes).
     * Only trainable tensors are updated; frozen ones keep their values and have no moments.
     * Temporary arrays go to the gradients' manager, so call it inside the step's scope.
     *
     * A gradient that is not finite (an overflow somewhere in the batch) is dropped without touching the weights or
     * the moments: one such step would otherwise turn every weight into NaN through the clipping scale.
     *
     * @return the global gradient norm before clipping (not finite when the update was skipped)
     */
    public double update(double learningRate, double clipNorm) {
        return update(learningRate, clipNorm, BatchParts.WHOLE);
    }

    /** The same, with the tensors' updates shared among the threads of {@code parts}. */
    double update(double learningRate, double clipNorm, BatchParts parts) {
        try (NoGradient noGradient = NoGradient.scope()) {
            return clippedUpdate(learningRate, clipNorm, parts);
        }
    }

    private double clippedUpdate(double learningRate, double clipNorm, BatchParts parts) {
        NDList tensorNorms = new NDList();
        for (NDArray weight : parameters.trainable().values()) {
            // PyTorch's clip_grad_norm_ way: libtorch's norm per tensor (no squared copy of the gradient), then the
            // norm of those norms. All read in one call rather than one native round trip per tensor.
            tensorNorms.add(weight.getGradient().norm());
        }
        double squaredNorm = 0;
        for (float tensorNorm : NDArrays.stack(tensorNorms).toFloatArray()) {
            squaredNorm += (double) tensorNorm * tensorNorm;
        }
        double norm = Math.sqrt(squaredNorm);
        if (!Double.isFinite(norm)) {
            parameters.trainable().values().forEach(Adam::zeroGradient);
            return norm;
        }
        double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1.0;
        updates++;
        // Kingma & Ba's cheaper form: bias corrections folded into the step size and epsilon.
        double secondCorrection = Math.sqrt(1 - Math.pow(BETA2, updates));
        double stepSize = learningRate * secondCorrection / (1 - Math.pow(BETA1, updates));
        double epsilon = EPSILON * secondCorrection;
        List<List<String>> shares = shares(parts.count());
        parts.sum(part -> {
            // Autograd's switch is per thread, and on by default; the gradients' handles need this thread's scope.
            try (NoGradient noGradient = NoGradient.scope(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                for (String name : shares.get(part)) {
                    updateTensor(name, stepSize, scale, epsilon);
                }
            }
            return 0;
        });
        return norm;
    }

    /** The trainable tensors' names cut into {@code count} shares of about equal size, biggest tensors first. */
    private List<List<String>> shares(int count) {
        List<List<String>> shares = new ArrayList<>(count);
        long[] sizes = new long[count];
        for (int i = 0; i < count; i++) {
            shares.add(new ArrayList<>());
        }
        parameters.trainable().entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, NDArray> p) -> p.getValue().size()).reversed())
                .forEach(p -> {
                    int smallest = 0;
                    for (int i = 1; i < count; i++) {
                        smallest = sizes[i] < sizes[smallest] ? i : smallest;
                    }
                    shares.get(smallest).add(p.getKey());
                    sizes[smallest] += p.getValue().size();
                });
        return shares;
    }

    private void updateTensor(String name, double stepSize, double scale, double epsilon) {
        NDArray weight = parameters.trainable().get(name);
        // libtorch's fused form through DJL, one native call per tensor instead of a dozen: the clipping scale
        // rescales the gradient, m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², w −= stepSize·m / (√v + ε).
        JniUtils.adamUpdate((PtNDArray) weight, (PtNDArray) weight.getGradient(),
                (PtNDArray) firstMoments.get(name), (PtNDArray) secondMoments.get(name),
                (float) stepSize, (float) stepSize, NO_WEIGHT_DECAY, (float) scale, NO_CLIPPING,
                (float) BETA1, (float) BETA2, (float) epsilon, false);
        zeroGradient(weight);
        NDArray average = averages.get(name);
        if (average != null) {
            average.muli(averagingDecay).addi(weight.mul(1 - averagingDecay));
        }
    }

    /**
     * Puts the bias-corrected moving averages in place of the weights until closed, which restores the weights
     * (a no-op without averaging or before the first step). Lets the trainer evaluate and save the averaged
     * model, then train on from the raw weights.
     */
    public Restorer averagedWeights() {
        if (averages.isEmpty() || updates == 0) {
            return () -> { };
        }
        Map<String, NDArray> raw = new LinkedHashMap<>();
        try (NoGradient noGradient = NoGradient.scope()) {
            double correction = 1 - Math.pow(averagingDecay, updates);
            for (Map.Entry<String, NDArray> p : parameters.trainable().entrySet()) {
                raw.put(p.getKey(), p.getValue().duplicate());
                try (NDArray corrected = averages.get(p.getKey()).div(correction)) {
                    corrected.copyTo(p.getValue());
                }
            }
        }
        return () -> {
            try (NoGradient noGradient = NoGradient.scope()) {
                for (Map.Entry<String, NDArray> p : parameters.trainable().entrySet()) {
                    try (NDArray weight = raw.get(p.getKey())) {
                        weight.copyTo(p.getValue());
                    }
                }
            }
        };
    }

    /** In place (libtorch's {@code grad.zero_()}), and unlike subtracting itself, also for NaN and infinite entries. */
    private static void zeroGradient(NDArray weight) {
        JniUtils.zeroGrad((PtNDArray) weight);
    }

    /** Puts the raw weights back. */
    public interface Restorer extends AutoCloseable {
        @Override
        void close();
    }

    public long updates() {
        return updates;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeLong(updates);
        ParameterSet.writeTensors(out, firstMoments, WeightPrecision.FLOAT32);
        ParameterSet.writeTensors(out, secondMoments, WeightPrecision.FLOAT32);
        if (!averages.isEmpty()) {
            ParameterSet.writeTensors(out, averages, WeightPrecision.FLOAT32);
        }
    }

    void read(DataInputStream in) throws IOException {
        updates = in.readLong();
        ParameterSet.readInto(in, firstMoments);
        ParameterSet.readInto(in, secondMoments);
        if (!averages.isEmpty()) {
            ParameterSet.readInto(in, averages);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
