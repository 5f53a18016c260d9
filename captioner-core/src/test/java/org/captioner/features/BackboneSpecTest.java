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
