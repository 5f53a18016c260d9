package org.captioner.eval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import edu.stanford.nlp.process.PTBTokenizer;

/**
 * The COCO toolkit's tokenization step (pycocoevalcap {@code tokenizer/ptbtokenizer.py}) run for real, in-process:
 * every caption on its own line ({@code '\n'} inside a caption becomes a space) in one UTF-8 file, CoreNLP 3.4.1's
 * {@code PTBTokenizer.main} with {@code -preserveLines -lowerCase} on that file, then per output line
 * {@code rstrip().split(' ')}, the {@code PUNCTUATIONS} tokens dropped, the rest joined with spaces.
 */
final class ToolkitTokenizer {
    private ToolkitTokenizer() {
    }

    /** The toolkit's tokenized text of each caption, in order. */
    static List<String> normalize(List<String> captions) {
        String document = captions.stream().map(caption -> caption.replace('\n', ' ')).collect(Collectors.joining("\n"));
        String[] lines = runPtbTokenizer(document).split("\n", -1);
        List<String> normalized = new ArrayList<>(captions.size());
        for (int i = 0; i < captions.size(); i++) {
            // Python's zip() stops at the shorter list; a missing line would shift every later caption.
            String line = i < lines.length ? lines[i] : "";
            normalized.add(Arrays.stream(line.stripTrailing().split(" ", -1))
                    .filter(token -> !PtbTokenizer.TOOLKIT_PUNCTUATIONS.contains(token))
                    .collect(Collectors.joining(" ")));
        }
        return normalized;
    }

    private static synchronized String runPtbTokenizer(String document) {
        PrintStream console = System.out;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            Path input = Files.createTempFile("toolkit-captions", ".txt");
            try {
                Files.writeString(input, document, StandardCharsets.UTF_8);
                System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
                PTBTokenizer.main(new String[] {"-preserveLines", "-lowerCase", input.toString()});
            } finally {
                System.setOut(console);
                Files.delete(input);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return output.toString(StandardCharsets.UTF_8);
    }
}
