package org.captioner.features;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ImageLimits;
import org.captioner.image.ImagePreprocessor;
import org.captioner.image.ResizeMode;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An ONNX image backbone run with ONNX Runtime. Safe for concurrent callers (ONNX Runtime sessions
 * are); close it only when no call is running. Region features come back region-major
 * ({@code regions x channels}), the layout {@link FeatureSource} and the attention decoder use.
 */
public final class OnnxBackbone implements AutoCloseable {
    /** Two threads where there are two cores; more than the cores only adds contention (bench/README.md, "Feature extraction"). */
    public static final int DEFAULT_INTRA_OP_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());
    /**
     * Pictures in one ONNX Runtime run at most: a larger batch is run in slices of this many. MobileNetV2's activations
     * for 16 pictures (26 MB for its largest layer) leave the caches, and the backbone took about a quarter more CPU
     * per picture in runs of 16 than of 4, with the same features to the bit (bench/README.md, "Pipelined captioning").
     */
    static final int MAX_PICTURES_PER_RUN = 4;

    private final BackboneSpec spec;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ImagePreprocessor preprocessor;
    private final String sha256;
    private final int channels;
    private final int gridHeight;
    private final int gridWidth;
    /** Buffers of runs not running now: one set per concurrent caller at most, reused (see {@link RunBuffers}). */
    private final ConcurrentLinkedQueue<RunBuffers> idleBuffers = new ConcurrentLinkedQueue<>();

    private OnnxBackbone(BackboneSpec spec, OrtEnvironment environment, OrtSession session, ResizeMode resizeMode,
                         String sha256) throws OrtException {
        this.spec = spec;
        this.environment = environment;
        this.session = session;
        this.preprocessor = spec.preprocessor(resizeMode);
        this.sha256 = sha256;
        checkIo(spec, session);
        if (spec.extractsFeatures()) {
            long[] shape = ((TensorInfo) session.getOutputInfo().get(spec.spatialOutput()).getInfo()).getShape();
            if (shape.length != 4 || shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0) {
                throw new IllegalArgumentException(spec.name() + ": spatial output '" + spec.spatialOutput()
                        + "' has shape " + Arrays.toString(shape) + ", expected [batch, channels, height, width]");
            }
            channels = (int) shape[1];
            gridHeight = (int) shape[2];
            gridWidth = (int) shape[3];
            if (spec.pooledOutput() != null) {
                long[] pooled = ((TensorInfo) session.getOutputInfo().get(spec.pooledOutput()).getInfo()).getShape();
                if (pooled.length != 2 || pooled[1] != channels) {
                    throw new IllegalArgumentException(spec.name() + ": pooled output '" + spec.pooledOutput()
                            + "' has shape " + Arrays.toString(pooled) + ", expected [batch, " + channels + "]");
                }
            }
        } else {
            channels = 0;
            gridHeight = 0;
            gridWidth = 0;
        }
    }

    /** Opens with the default thread count, squashing pictures to the input square. */
    public static OnnxBackbone open(BackboneSpec spec, Path modelsDir) throws IOException {
        return open(spec, modelsDir, DEFAULT_INTRA_OP_THREADS, ResizeMode.SQUASH);
    }

    /**
     * Verifies the model file against the spec's SHA-256, then loads it.
     *
     * @throws IOException when the file is missing, damaged or not a model matching the spec
     */
    public static OnnxBackbone open(BackboneSpec spec, Path modelsDir, int intraOpThreads, ResizeMode resizeMode)
            throws IOException {
        Path model = spec.modelFile(modelsDir);
        if (!Files.isRegularFile(model)) {
            throw new IOException("backbone " + spec.name() + ": model file " + model + " not found (set --models-dir or "
                    + ModelsDirectory.ENVIRONMENT_VARIABLE + ")");
        }
        if (spec.sha256() != null) {
            ModelChecksums.verify(model, spec.sha256());
        }
        OrtEnvironment environment = OnnxRuntimeStart.environment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            // Idle workers sleep instead of spinning: on 2 shared cores spinning burns the CPU the decoder and
            // other processes need (bench/README.md, "Feature extraction").
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(model.toString(), options);
            try {
                return new OnnxBackbone(spec, environment, session, resizeMode, ModelChecksums.sha256(model));
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new IOException("backbone " + spec.name() + ": cannot load " + model + ": " + e.getMessage(), e);
        }
    }

    private static void checkIo(BackboneSpec spec, OrtSession session) throws OrtException {
        Set<String> inputs = session.getInputNames();
        if (!inputs.contains(spec.inputName())) {
            throw new IllegalArgumentException(spec.name() + ": model has inputs " + inputs + ", not '" + spec.inputName() + "'");
        }
        Set<String> outputs = session.getOutputNames();
        for (String wanted : Arrays.asList(spec.spatialOutput(), spec.pooledOutput(), spec.classifierOutput())) {
            if (wanted != null && !outputs.contains(wanted)) {
                throw new IllegalArgumentException(spec.name() + ": model has outputs " + outputs + ", not '" + wanted + "'");
            }
        }
    }

    public BackboneSpec spec() {
        return spec;
    }

    /** SHA-256 of the loaded model file, recorded in feature stores. */
    public String sha256() {
        return sha256;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    public int regions() {
        return gridHeight * gridWidth;
    }

    public int channels() {
        return channels;
    }

    public int gridHeight() {
        return gridHeight;
    }

    public int gridWidth() {
        return gridWidth;
    }

    /** Features of one decoded, upright picture (any size: it is resized per the spec). */
    public BackboneFeatures extract(BufferedImage picture) throws IOException {
        return extractTensors(List.of(preprocessor.toTensor(picture))).get(0);
    }

    /** Decodes {@code imageFile} robustly (see {@link ImageDecoder}) and extracts its features. */
    public BackboneFeatures extract(Path imageFile) throws IOException {
        return extract(imageDecoder().decode(imageFile));
    }

    /** A decoder that subsamples large images only down to twice this backbone's input, with the default limits. */
    public ImageDecoder imageDecoder() {
        return ImageDecoder.forModelInput(preprocessor.size(), ImageLimits.DEFAULT);
    }

    /**
     * Features of already preprocessed images ({@link #preprocessor()} tensors), in runs of up to
     * {@value #MAX_PICTURES_PER_RUN} pictures when the batch is dynamic, else one run per image.
     */
    public List<BackboneFeatures> extractTensors(List<float[]> tensors) throws IOException {
        if (!spec.extractsFeatures()) {
            throw new UnsupportedOperationException("backbone " + spec.name() + " has no feature outputs (classification"
                    + " only, see its spec): choose a feature backbone such as " + BackboneSpec.DEFAULT_NAME);
        }
        List<BackboneFeatures> features = new ArrayList<>(tensors.size());
        int step = spec.dynamicBatch() ? MAX_PICTURES_PER_RUN : 1;
        for (int start = 0; start < tensors.size(); start += step) {
            List<float[]> batch = tensors.subList(start, Math.min(tensors.size(), start + step));
            features.addAll(runFeatures(batch));
        }
        return features;
    }

    /** Class probabilities of one picture, for backbones with a {@code classifierOutput}. */
    public float[] classify(BufferedImage picture) throws IOException {
        if (spec.classifierOutput() == null) {
            throw new UnsupportedOperationException("backbone " + spec.name() + " has no classifier output");
        }
        RunBuffers buffers = takeBuffers();
        try (OnnxTensor input = OnnxTensor.createTensor(environment,
                buffers.input(List.of(preprocessor.toTensor(picture)), inputFloats()), inputShape(1));
             OrtSession.Result result = session.run(Map.of(spec.inputName(), input), Set.of(spec.classifierOutput()))) {
            FloatBuffer probabilities = ((OnnxTensor) result.get(spec.classifierOutput()).orElseThrow()).getFloatBuffer();
            float[] out = new float[probabilities.remaining()];
            probabilities.get(out);
            return out;
        } catch (OrtException e) {
            throw new IOException("backbone " + spec.name() + ": inference failed: " + e.getMessage(), e);
        } finally {
            idleBuffers.add(buffers);
        }
    }

    /**
     * One ONNX Runtime run: the input is read from, and the outputs written into, reused direct buffers, and the
     * channel-major grid is transposed straight from the output buffer.
     */
    private List<BackboneFeatures> runFeatures(List<float[]> batch) throws IOException {
        int pictures = batch.size();
        int regions = regions();
        int perPicture = regions * channels;
        RunBuffers buffers = takeBuffers();
        try (OnnxTensor input = OnnxTensor.createTensor(environment, buffers.input(batch, inputFloats()), inputShape(pictures));
             OnnxTensor spatialOut = OnnxTensor.createTensor(environment, buffers.spatial(pictures * perPicture),
                     new long[]{pictures, channels, gridHeight, gridWidth});
             OnnxTensor pooledOut = spec.pooledOutput() == null ? null : OnnxTensor.createTensor(environment,
                     buffers.pooled(pictures * channels), new long[]{pictures, channels})) {
            Map<String, OnnxTensor> pinned = new HashMap<>();
            pinned.put(spec.spatialOutput(), spatialOut);
            if (pooledOut != null) {
                pinned.put(spec.pooledOutput(), pooledOut);
            }
            session.run(Map.of(spec.inputName(), input), pinned).close();
            FloatBuffer spatial = buffers.spatial(pictures * perPicture);
            List<BackboneFeatures> features = new ArrayList<>(pictures);
            for (int b = 0; b < pictures; b++) {
                float[] regionMajor = new float[perPicture];
                int base = b * perPicture;
                // ONNX gives channel-major [C, H*W]; transpose so each region's vector is contiguous.
                for (int c = 0; c < channels; c++) {
                    int from = base + c * regions;
                    for (int r = 0; r < regions; r++) {
                        regionMajor[r * channels + c] = spatial.get(from + r);
                    }
                }
                float[] pooledVector = new float[channels];
                if (pooledOut != null) {
                    buffers.pooled(pictures * channels).get(b * channels, pooledVector);
                } else {
                    averageRegions(regionMajor, regions, pooledVector);
                }
                features.add(new BackboneFeatures(regionMajor, pooledVector, regions, channels));
            }
            return features;
        } catch (OrtException e) {
            throw new IOException("backbone " + spec.name() + ": inference failed: " + e.getMessage(), e);
        } finally {
            idleBuffers.add(buffers);
        }
    }

    private static void averageRegions(float[] regionMajor, int regions, float[] into) {
        int channels = into.length;
        for (int r = 0; r < regions; r++) {
            for (int c = 0; c < channels; c++) {
                into[c] += regionMajor[r * channels + c] / regions;
            }
        }
    }

    /** An idle set of run buffers, or a new one; give it back to {@link #idleBuffers} after the run. */
    private RunBuffers takeBuffers() {
        RunBuffers idle = idleBuffers.poll();
        return idle != null ? idle : new RunBuffers(spec.dynamicBatch() ? MAX_PICTURES_PER_RUN : 1, inputFloats(),
                regions() * channels, spec.pooledOutput() == null ? 0 : channels);
    }

    private int inputFloats() {
        return 3 * spec.inputSize() * spec.inputSize();
    }

    private long[] inputShape(int pictures) {
        return new long[]{pictures, 3, spec.inputSize(), spec.inputSize()};
    }

    @Override
    public void close() throws IOException {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IOException("backbone " + spec.name() + ": cannot close session: " + e.getMessage(), e);
        }
    }
}
