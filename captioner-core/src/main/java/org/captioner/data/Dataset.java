package org.captioner.data;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A loaded captioning dataset: its images with their captions and split, and everything that was
 * skipped while loading (each problem names its file and line).
 */
public record Dataset(String source, CaptionFormat format, List<ImageCaptions> images, List<LoadProblem> problems) {
    public Dataset {
        images = List.copyOf(images);
        problems = List.copyOf(problems);
    }

    public List<ImageCaptions> split(Split split) {
        return images.stream().filter(image -> image.split() == split).toList();
    }

    public int captionCount() {
        return images.stream().mapToInt(image -> image.captions().size()).sum();
    }

    public Map<Split, Long> countBySplit() {
        return images.stream().collect(Collectors.groupingBy(ImageCaptions::split, Collectors.counting()));
    }

    public Map<String, ImageCaptions> byId() {
        return images.stream().collect(Collectors.toMap(ImageCaptions::imageId, Function.identity()));
    }
}
