package org.captioner.features;

import org.captioner.image.ChannelOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackboneSpecTest {
    @Test
    void loadsBuiltinSpecs() throws IOException {
        BackboneSpec mobileNet = BackboneSpec.builtin("mobilenet_v2");
        assertThat(mobileNet.inputName()).isEqualTo("input");
        assertThat(mobileNet.extractsFeatures()).isTrue();
        assertThat(mobileNet.dynamicBatch()).isTrue();
        BackboneSpec squeezeNet = BackboneSpec.builtin("squeezenet1_1");
        assertThat(squeezeNet.channelOrder()).isEqualTo(ChannelOrder.BGR);
        assertThat(squeezeNet.extractsFeatures()).isFalse();
        assertThat(BackboneSpec.builtin("mobilenet_v1").file()).isEqualTo("mobilenet_v1_1.0_224_embedding.onnx");
    }

    @Test
    void toBuilderChangesOnlyWhatItIsTold(@TempDir Path dir) throws IOException {
        BackboneSpec builtin = BackboneSpec.builtin("mobilenet_v2");
        String sha256 = "ab".repeat(32);

        BackboneSpec pinned = builtin.toBuilder().optSha256(sha256).build();

        assertThat(builtin.toBuilder().build()).isEqualTo(builtin);
        assertThat(pinned.sha256()).isEqualTo(sha256);
        assertThat(pinned.toBuilder().optSha256(builtin.sha256()).build()).isEqualTo(builtin);
        Path file = Files.writeString(dir.resolve("pinned.json"), pinned.toString());
        assertThat(BackboneSpec.load(file)).isEqualTo(pinned);
        assertThat(builtin.toBuilder().optInputSize(299).optMean(0.5f, 0.5f, 0.5f).optDynamicBatch(false).build())
                .extracting(BackboneSpec::inputSize, spec -> spec.mean()[0], BackboneSpec::dynamicBatch)
                .containsExactly(299, 0.5f, false);
    }

    @Test
    void toBuilderChecksWhatItBuilds() throws IOException {
        BackboneSpec builtin = BackboneSpec.builtin("mobilenet_v2");

        assertThatThrownBy(() -> builtin.toBuilder().optSha256("not hex").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sha256 (64 hex digits)'");
        assertThatThrownBy(() -> builtin.toBuilder().optFile("../outside.onnx").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'file");
    }

    @Test
    void unknownNameListsTheChoices() {
        assertThatThrownBy(() -> BackboneSpec.resolve("resnet9000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resnet9000")
                .hasMessageContaining("mobilenet_v2");
    }

    @Test
    void specFileRoundTripsAndBadFilesNameThemselves(@TempDir Path dir) throws IOException {
        BackboneSpec builtin = BackboneSpec.builtin("mobilenet_v1");
        Path file = Files.writeString(dir.resolve("mine.json"), builtin.toString());
        assertThat(BackboneSpec.resolve(file.toString())).isEqualTo(builtin);

        Path missingInput = Files.writeString(dir.resolve("broken.json"),
                builtin.toString().replace("\"inputName\":\"input\",", ""));
        assertThatThrownBy(() -> BackboneSpec.load(missingInput))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missingInput.toString())
                .hasMessageContaining("inputName");
    }
}
