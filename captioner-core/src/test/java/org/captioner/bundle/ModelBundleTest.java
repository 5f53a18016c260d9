package org.captioner.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.captioner.decode.CaptionDecoder;
import org.captioner.decode.DecodingOptions;
import org.captioner.decode.GeneratedCaption;
import org.captioner.features.BackboneSpec;
import org.captioner.model.CaptionModel;
import org.captioner.model.ModelConfig;
import org.captioner.model.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelBundleTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsABundleAndReplacesAnOldOneWhole() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("stale.txt"), "from an older bundle");

        TinyBundle.write(bundle);
        ModelBundle read = ModelBundle.read(bundle);

        assertThat(read.manifest().backbone().name()).isEqualTo("mobilenet_v2");
        assertThat(read.modelConfig().vocabSize()).isEqualTo(read.vocabulary().size());
        assertThat(bundle.resolve("stale.txt")).doesNotExist();
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(bundle);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {ModelConfig.SHOW_ATTEND_TELL, ModelConfig.TRANSFORMER,
        ModelConfig.SHOW_AND_TELL})
    void aBundleOfEveryFamilyReadsBackAsThatFamily(String family) throws IOException {
        Path bundle = TinyBundle.write(dir.resolve(family), family);
        ModelBundle read = ModelBundle.read(bundle);

        assertThat(read.manifest().family()).isEqualTo(family);
        assertThat(read.modelConfig().family()).isEqualTo(family);
        try (NDManager manager = NDManager.newBaseManager(); CaptionModel model = read.loadModel(manager)) {
            assertThat(model.config()).isEqualTo(read.modelConfig());
            NDArray regions = manager.randomUniform(0, 1, new Shape(2, 49, 1280));
            List<List<GeneratedCaption>> captions = CaptionDecoder.decode(model, regions, DecodingOptions.beam(2, 5));
            assertThat(captions).hasSize(2).allSatisfy(c -> assertThat(c).hasSize(1));
        }
    }

    @Test
    void aMissingPieceIsNamed() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Files.delete(bundle.resolve("vocab.tsv"));

        assertThatThrownBy(() -> ModelBundle.read(bundle)).hasMessageContaining("incomplete: vocab.tsv is missing");
        assertThatThrownBy(() -> ModelBundle.read(dir.resolve("nowhere"))).hasMessageContaining("not found");
    }

    @Test
    void aNewerVersionOrAnotherFormatIsRefused() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Path manifest = bundle.resolve(ModelBundle.MANIFEST_FILE);
        String json = Files.readString(manifest);

        Files.writeString(manifest, json.replace("\"version\" : " + ModelBundle.VERSION, "\"version\" : 99"));
        assertThatThrownBy(() -> ModelBundle.read(bundle)).hasMessageContaining("bundle version 99 is newer");
        Files.writeString(manifest, json.replace("captioner-bundle", "something-else"));
        assertThatThrownBy(() -> ModelBundle.read(bundle)).hasMessageContaining("format is 'something-else'");
    }

    @Test
    void aVocabularyThatDoesNotFitTheModelIsRefused() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("vocab.tsv"), Files.readString(bundle.resolve("vocab.tsv")) + "10\textra\t1\n");

        assertThatThrownBy(() -> ModelBundle.read(bundle)).hasMessageContaining("expects 10 words but vocab.tsv has 11");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"beamWidth\" : 3            | \"beamWidth\" : 100000        | decoding: beamWidth must be from 1 to 20, not 100000",
        "\"maxLength\" : 8            | \"maxLength\" : -1            | decoding: maxLength must be from 1 to 100, not -1",
        "\"family\" : \"show-attend-tell\" | \"family\" : \"resnet\" | family must be one of show-attend-tell, transformer, show-and-tell, not 'resnet'",
        "\"inputSize\" : 224          | \"inputSize\" : 100000        | backbone: backbone spec: missing or invalid field 'inputSize (from 1 to 1024)'",
        "\"resize\" : \"SQUASH\"       | \"resize\" : \"STRETCH\"       | resize must be one of [SQUASH, CENTER_CROP], not 'STRETCH'",
        "\"gridHeight\" : 7           | \"gridHeight\" : 0            | gridHeight must be from 1 to 64, not 0",
        "\"file\" : \"mobilenet_v2_1.0_224.onnx\" | \"file\" : \"../../../../etc/passwd\" | backbone: backbone spec: missing or invalid field 'file (a relative path inside the models directory)'",
        "\"file\" : \"mobilenet_v2_1.0_224.onnx\" | \"file\" : \"/etc/passwd\" | backbone: backbone spec: missing or invalid field 'file (a relative path inside the models directory)'",
    })
    void aValueOutOfRangeInBundleJsonIsRefusedNamingTheField(String written, String edited, String message) throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Path manifest = bundle.resolve(ModelBundle.MANIFEST_FILE);
        String json = Files.readString(manifest);
        assertThat(json).contains(written);
        Files.writeString(manifest, json.replace(written, edited));

        assertThatThrownBy(() -> ModelBundle.read(bundle)).isInstanceOf(IOException.class)
                .hasMessageContaining(ModelBundle.MANIFEST_FILE + ": not a valid bundle manifest: " + message);
    }

    @Test
    void aModelConfigOutOfRangeIsRefusedNamingTheField() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Path config = bundle.resolve(ModelFiles.CONFIG_FILE);
        Files.writeString(config, Files.readString(config).replace("\"regions\" : 49", "\"regions\" : 100000"));

        assertThatThrownBy(() -> ModelBundle.read(bundle))
                .hasMessageContaining("model.json: not a valid model config: regions must be from 1 to 4096, not 100000");
    }

    @Test
    void writingRecordsTheWeightsChecksumAndReadingRefusesChangedWeights() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Path weights = bundle.resolve(ModelFiles.WEIGHTS_FILE);
        assertThat(ModelBundle.read(bundle).manifest().weightsSha256()).isEqualTo(sha256(weights));

        byte[] bytes = Files.readAllBytes(weights);
        for (int i = 0; i < 100; i++) {
            bytes[bytes.length - 1 - i * 7] ^= 0x5a;
        }
        Files.write(weights, bytes);

        assertThatThrownBy(() -> ModelBundle.read(bundle)).isInstanceOf(IOException.class)
                .hasMessageContaining("weights file " + weights + " has sha256 " + sha256(weights))
                .hasMessageContaining("does not match").hasMessageContaining("the file is corrupt or was changed");
    }

    @Test
    void aVersionOneBundleWithoutChecksumStillLoadsButAVersionTwoOneMustHaveIt() throws IOException {
        Path bundle = TinyBundle.write(dir.resolve("bundle"));
        Path manifest = bundle.resolve(ModelBundle.MANIFEST_FILE);
        String withoutChecksum = Files.readString(manifest).replaceAll(",\\s*\"weightsSha256\" : \"[0-9a-f]+\"", "");

        Files.writeString(manifest, withoutChecksum);
        assertThatThrownBy(() -> ModelBundle.read(bundle)).hasMessageContaining("no weightsSha256 recorded");

        Files.writeString(manifest, withoutChecksum.replace("\"version\" : 2", "\"version\" : 1"));
        assertThat(ModelBundle.read(bundle).manifest().weightsSha256()).isNull();
    }

    @Test
    void theShippedBundleRecordsItsWeightsChecksum() throws IOException {
        Path shipped = Path.of(System.getProperty("user.dir")).resolveSibling("models").resolve("default");

        ModelBundle read = ModelBundle.read(shipped);

        assertThat(read.manifest().version()).isEqualTo(ModelBundle.VERSION);
        assertThat(read.manifest().weightsSha256()).isEqualTo(sha256(shipped.resolve(ModelFiles.WEIGHTS_FILE)));
    }

    @Test
    void aBackboneFileLinkedToOutsideTheModelsDirectoryIsRefusedBeforeHashing() throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path outside = Files.writeString(dir.resolve("secret.txt"), "not a model");
        BackboneSpec builtin = BackboneSpec.builtin(BackboneSpec.DEFAULT_NAME);
        Files.createSymbolicLink(models.resolve(builtin.file()), outside);

        assertThatThrownBy(() -> builtin.modelFile(models)).isInstanceOf(IOException.class)
                .hasMessageContaining("leads outside the models directory");
        Files.delete(models.resolve(builtin.file()));
        Files.createSymbolicLink(models.resolve(builtin.file()), Files.writeString(models.resolve("real.onnx"), "inside"));
        assertThat(builtin.modelFile(models)).isEqualTo(models.resolve(builtin.file()));
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
