package org.captioner.cli;

import org.captioner.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the real {@code ./captioner} launcher on the packaged jar, as a user does. ONNX Runtime 1.29 killed
 * the JVM when the java command line was long, so only the real launcher proves the product starts.
 */
class LauncherIT {
    record Result(int exitCode, String stdout, String stderr) {
    }

    /** {@code ./captioner args...}, not started yet. */
    static ProcessBuilder launcher(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", System.getProperty("captioner.launcher")));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** The launcher with the stand-ins of {@code dir} first on its PATH. */
    private static ProcessBuilder launcherWithStandIns(Path dir, String... args) {
        ProcessBuilder launcher = launcher(args);
        launcher.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        return launcher;
    }

    /** An executable shell script named {@code program} in {@code dir}, run instead of the real one. */
    private static void standIn(Path dir, String program, String script) throws IOException {
        Path file = dir.resolve(program);
        Files.writeString(file, "#!/bin/sh\n" + script);
        assertThat(file.toFile().setExecutable(true)).isTrue();
    }

    static Result launch(String... args) throws IOException, InterruptedException {
        return launch(launcher(args));
    }

    static Result launch(ProcessBuilder launcher) throws IOException, InterruptedException {
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        Process process = launcher.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not finish in 5 minutes: " + launcher.command());
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void extractsFeaturesWithOnnxRuntimeAndSkipsACorruptImage(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        try (var real = Files.list(SharedData.flickr8k().resolve("images"))) {
            for (Path image : real.sorted().limit(3).toList()) {
                Files.copy(image, images.resolve(image.getFileName()));
            }
        }
        Files.write(images.resolve("corrupt.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x01});

        Result result = launch("features", "--images", images.toString(), "--out", dir.resolve("store").toString(), "--no-progress");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("3 extracted", "1 failed", "corrupt.jpg");
        assertThat(Files.readAllLines(dir.resolve("store/index.txt"))).hasSize(3);
    }

    @Test
    void captionsADevImageWithTheDefaultModel() throws Exception {
        Path image = SharedData.flickr8k().resolve("images/2090545563_a4e66ec76b.jpg");

        Result result = launch("caption", image.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith(image + "\t");
        assertThat(result.stdout().strip().split("\t")[1].split(" ")).as("a sentence, not a word").hasSizeGreaterThan(3);
        assertOnlyCaptionersOwnLines(result.stderr());
    }

    /** libtorch warned "AutoNonVariableTypeMode is deprecated" on every command, and Maven's build wrote ANSI codes. */
    static void assertOnlyCaptionersOwnLines(String stderr) {
        assertThat(stderr).doesNotContain("AutoNonVariableTypeMode", "\u001b");
        assertThat(stderr.lines()).allSatisfy(line -> assertThat(line).startsWith("captioner"));
    }

    /** The first run's build shows nothing but Captioner's line when it works, and Maven's log without color codes when not. */
    @Test
    void theBuildShowsNoColorCodes(@TempDir Path dir) throws Exception {
        standIn(dir, "mvn", "printf '\\033[0m\\033[1m[ERROR] %s\\033[m\\n' \"$FAKE_BUILD\"\n[ \"$FAKE_BUILD\" = ok ]\n");
        ProcessBuilder works = launcherWithStandIns(dir, "--version");
        ProcessBuilder fails = launcherWithStandIns(dir, "--version");
        for (ProcessBuilder launcher : List.of(works, fails)) {
            launcher.environment().put("CAPTIONER_REBUILD", "1");
        }
        works.environment().put("FAKE_BUILD", "ok");
        fails.environment().put("FAKE_BUILD", "broken");

        Result built = launch(works);
        Result broken = launch(fails);

        assertThat(built.exitCode()).as(built.stderr()).isZero();
        assertThat(built.stderr()).isEqualTo("captioner: building (first run only)...\n");
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.stderr()).doesNotContain("\u001b").contains("[ERROR] broken", "captioner: the build failed");
    }

    /** Long-running commands pre-touch the heap (without, the first captions took 1.5 times as long); quick ones do not. */
    @Test
    void longRunningCommandsPreTouchTheHeapUnlessTheUserSetsTheJvmOptions(@TempDir Path dir) throws Exception {
        standIn(dir, "java", "cat \"${1#@}\"\n"); // prints the argfile the launcher hands java
        Map<String, String> firstOption = new TreeMap<>();
        for (String command : List.of("serve", "bench", "evaluate", "features", "train", "spark", "caption", "score")) {
            ProcessBuilder launcher = launcherWithStandIns(dir, command, "--help");
            launcher.environment().remove("CAPTIONER_JAVA_OPTS");
            Result result = launch(launcher);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            firstOption.put(command, String.join(" ", result.stdout().lines().takeWhile(line -> !line.startsWith("\"-D")).toList()));
        }
        ProcessBuilder userSet = launcherWithStandIns(dir, "bench", "--help");
        userSet.environment().put("CAPTIONER_JAVA_OPTS", "-Xmx2g");

        assertThat(firstOption).containsExactlyInAnyOrderEntriesOf(Map.of(
                "serve", "\"-Xmx1g\" \"-XX:+AlwaysPreTouch\"", "bench", "\"-Xmx8g\" \"-XX:+AlwaysPreTouch\"",
                "evaluate", "\"-Xmx8g\" \"-XX:+AlwaysPreTouch\"", "features", "\"-Xmx8g\" \"-XX:+AlwaysPreTouch\"",
                "train", "\"-Xmx8g\" \"-XX:+AlwaysPreTouch\"", "spark", "\"-Xmx8g\" \"-XX:+AlwaysPreTouch\"",
                "caption", "\"-Xmx8g\"", "score", "\"-Xmx8g\""));
        assertThat(launch(userSet).stdout().lines().takeWhile(line -> !line.startsWith("\"-D"))).containsExactly("\"-Xmx2g\"");
    }

    /**
     * Training keeps freed tensor memory in glibc (without, faulting fresh pages in took a third of a step) and no longer
     * asks libtorch for huge pages, whose blocks glibc maps afresh; other commands keep glibc's defaults.
     */
    @Test
    void trainingKeepsFreedMemoryUnlessTheUserSetsIt(@TempDir Path dir) throws Exception {
        standIn(dir, "java", "echo \"${MALLOC_MMAP_THRESHOLD_:-unset} ${MALLOC_TRIM_THRESHOLD_:-unset} ${THP_MEM_ALLOC_ENABLE:-unset}\"\n");
        Map<List<String>, String> settings = new LinkedHashMap<>();
        for (List<String> command : List.of(List.of("train", "--help"), List.of("bench", "--train", "--help"),
                List.of("bench", "--help"), List.of("serve", "--help"), List.of("caption", "--help"))) {
            ProcessBuilder launcher = launcherWithStandIns(dir, command.toArray(String[]::new));
            List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "THP_MEM_ALLOC_ENABLE")
                    .forEach(launcher.environment()::remove);
            settings.put(command, launch(launcher).stdout().strip());
        }
        ProcessBuilder userSet = launcherWithStandIns(dir, "train", "--help");
        userSet.environment().put("MALLOC_MMAP_THRESHOLD_", "4096");

        assertThat(settings).containsExactly(
                Map.entry(List.of("train", "--help"), "33554432 1073741824 unset"),
                Map.entry(List.of("bench", "--train", "--help"), "33554432 1073741824 unset"),
                Map.entry(List.of("bench", "--help"), "unset unset unset"),
                Map.entry(List.of("serve", "--help"), "unset unset unset"),
                Map.entry(List.of("caption", "--help"), "unset unset unset"));
        assertThat(launch(userSet).stdout().strip()).isEqualTo("4096 1073741824 unset");
    }

    /** A java command line past ~4 KB made ONNX Runtime 1.29 kill the JVM: exit 139, no output, from 80 paths. */
    @Test
    void captionsAThousandImagesWhosePathsHaveSpacesQuotesAndBackslashes(@TempDir Path dir) throws Exception {
        Path image = SharedData.flickr8k().resolve("images/2090545563_a4e66ec76b.jpg");
        List<String> paths = new ArrayList<>();
        for (String name : List.of("a b.jpg", "double\"quote.jpg", "single'quote.jpg", "back\\slash.jpg",
                "#hash @at -dash.jpg", "\u00fcn\u00ef\uD83D\uDE00.jpg")) {
            paths.add(Files.copy(image, dir.resolve(name)).toString());
        }
        try (var real = Files.list(SharedData.flickr8k().resolve("images"))) {
            List<String> some = real.sorted().limit(4).map(Path::toString).toList();
            while (paths.size() < 1000) {
                paths.add(some.get(paths.size() % some.size()));
            }
        }
        List<String> args = new ArrayList<>(List.of("caption", "--strategy", "GREEDY", "--max-length", "3", "--batch", "32"));
        args.addAll(paths);

        Result result = launch(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines).hasSize(1000);
        for (int i = 0; i < paths.size(); i++) {
            assertThat(lines.get(i)).startsWith(paths.get(i) + "\t");
        }
    }

    @Test
    void takesA20KilobyteSystemPropertyInCaptionerJavaOpts() throws Exception {
        Path image = SharedData.flickr8k().resolve("images/2090545563_a4e66ec76b.jpg");
        ProcessBuilder launcher = launcher("caption", "--strategy", "GREEDY", image.toString());
        launcher.environment().put("CAPTIONER_JAVA_OPTS", "-Xmx2g -Dcaptioner.test.pad=" + "x".repeat(20_000));

        Result result = launch(launcher);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith(image + "\t");
    }

    @Test
    void servesACaptionWithA1GigabyteHeapAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        Path image = SharedData.flickr8k().resolve("images/2090545563_a4e66ec76b.jpg");
        Path err = dir.resolve("serve.err");
        ProcessBuilder serve = launcher("serve", "--host", "127.0.0.1", "--port", "0");
        serve.environment().remove("CAPTIONER_JAVA_OPTS");
        Process process = serve.directory(dir.toFile()).redirectError(err.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("first line; stderr: %s", Files.exists(err) ? Files.readString(err) : "").isNotNull();
            Matcher listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/").matcher(line);
            assertThat(listening.find()).as(line).isTrue();
            Matcher heap = Pattern.compile("heap at most (\\d+) MB").matcher(line);
            assertThat(heap.find()).as(line).isTrue();
            // -Xmx1g: 1024 MB with G1; a serial collector (one CPU) counts one survivor space less.
            assertThat(Integer.parseInt(heap.group(1))).as("serve's default heap, CAPTIONER_JAVA_OPTS unset").isBetween(900, 1024);

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + listening.group(1) + "/api/v1/captions"))
                    .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofFile(image)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"captions\"", "\"text\"");
        } finally {
            process.destroy(); // SIGTERM: the shutdown hook stops the server and closes the model
        }
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("stopped within a minute").isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        try (var left = Files.list(dir)) {
            assertThat(left.map(Path::getFileName).map(Path::toString)).as("no JVM crash report")
                    .noneMatch(name -> name.startsWith("hs_err"));
        }
        assertThat(Files.readString(err)).doesNotContain("SIGSEGV", "Exception");
    }

    @Test
    void sigtermStopsTrainingWithACheckpointAndNoCrash(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        List<String> rows = new ArrayList<>(List.of("image,caption,split"));
        try (var real = Files.list(SharedData.flickr8k().resolve("images"))) {
            List<Path> some = real.sorted().limit(4).toList();
            for (int i = 0; i < some.size(); i++) {
                Files.copy(some.get(i), images.resolve(some.get(i).getFileName()));
                rows.add(some.get(i).getFileName() + ",a dog runs on the grass," + (i == 0 ? "dev" : "train"));
            }
        }
        Files.write(dir.resolve("captions.csv"), rows);
        assertThat(launch("features", "--images", images.toString(), "--out", dir.resolve("store").toString(),
                "--no-progress").exitCode()).isZero();

        Path err = dir.resolve("train.err");
        Process process = launcher("train", "--data", dir.resolve("captions.csv").toString(),
                "--features", dir.resolve("store").toString(), "--run", dir.resolve("run").toString(),
                "--epochs", "100000", "--set", "text.minCount=1", "--no-progress")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.readString(err).contains("epoch 2:") && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        process.destroy(); // SIGTERM while the training loop runs

        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("stopped").isTrue();
        String log = Files.readString(err);
        assertThat(process.exitValue()).as(log).isEqualTo(143);
        assertThat(log).contains("stopped on request at step", "continues the run with --resume")
                .doesNotContain("SIGSEGV", "fatal error");
        assertThat(dir.resolve("run/checkpoint.bin")).isNotEmptyFile();
        try (var left = Files.list(dir)) {
            assertThat(left.map(Path::getFileName).map(Path::toString)).as("no JVM crash report")
                    .noneMatch(name -> name.startsWith("hs_err"));
        }
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Result result = launch("--help");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Usage: captioner");
    }

    /** java.exe's stand-in for captioner.cmd: records the @argfile it is given, then its other arguments. */
    private static final String JAVA_STAND_IN = """
            #include <stdio.h>
            #include <stdlib.h>
            int _CRT_glob = 0; /* arguments as java.exe gets them: no wildcard expansion */
            int main(int argc, char **argv) {
                FILE *out = fopen(getenv("CAPTURE"), "wb");
                FILE *argfile = argc > 1 && argv[1][0] == '@' ? fopen(argv[1] + 1, "rb") : NULL;
                int c;
                fprintf(out, "%s\\n", argc > 1 ? argv[1] : "");
                while (argfile != NULL && (c = fgetc(argfile)) != EOF) fputc(c, out);
                fputs("--\\n", out);
                for (int i = 2; i < argc; i++) fprintf(out, "%s\\n", argv[i]);
                return 7;
            }
            """;

    /**
     * captioner.cmd under wine's cmd with a stand-in java.exe: the JVM options, home and jar arrive in an
     * argfile that the real JDK parses back to the same values, the arguments arrive as typed (cmd would split
     * "a=b" and "a,b;c"), java's exit code is the launcher's, and the argfile is gone afterwards.
     */
    @Test
    void windowsLauncherHandsJavaAnArgfileAndTheArgumentsAsTyped(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("wine") && onPath("x86_64-w64-mingw32-gcc"),
                "needs the Debian packages wine and gcc-mingw-w64-x86-64");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("java.c"), JAVA_STAND_IN);
        run(new ProcessBuilder("x86_64-w64-mingw32-gcc", "-o", bin.resolve("java.exe").toString(),
                dir.resolve("java.c").toString()));
        Path capture = dir.resolve("capture.txt");
        Path home = Path.of(System.getProperty("captioner.launcher")).getParent();
        List<String> arguments = List.of("caption", "C:\\my pics\\a.jpg", "--set", "text.minCount=1", "a,b;c",
                "it's", "!bang", "Tom & Jerry.jpg", "C:\\dir\\", "@notAnArgfile");
        // No "%": wine's cmd drops it from a batch file's %* (and pairs it with a later one, as a cmd prompt does).
        List<String> command = new ArrayList<>(List.of("wine", "cmd", "/c", windowsPath(home.resolve("captioner.cmd"))));
        command.addAll(arguments);
        ProcessBuilder wine = new ProcessBuilder(command);
        wine.environment().putAll(Map.of("WINEDEBUG", "-all", "WINEPATH", windowsPath(bin),
                "CAPTURE", windowsPath(capture), "CAPTIONER_JAVA_OPTS", "-Xmx64m \"-Dcaptioner.test=a b\""));

        Result result = launch(wine);

        assertThat(result.exitCode()).as("java's exit code; " + result.stderr()).isEqualTo(7);
        List<String> lines = Files.readAllLines(capture, StandardCharsets.UTF_8);
        int end = lines.indexOf("--");
        assertThat(lines.subList(end + 1, lines.size())).as("the arguments java.exe got").isEqualTo(arguments);
        assertThat(lines.get(0)).startsWith("@");
        assertThat(wineFile(lines.get(0).substring(1))).as("argfile deleted after java exits").doesNotExist();
        // The argfile as the real JDK parses it, with EchoJvm in place of "-jar": the jar becomes its argument.
        List<String> argfile = new ArrayList<>(lines.subList(1, end));
        Path testClasses = Path.of(EchoJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        argfile.addAll(argfile.indexOf("\"-jar\""), List.of("-cp", "\"" + testClasses + "\"", EchoJvm.class.getName()));
        argfile.remove("\"-jar\"");
        Path parsed = Files.write(dir.resolve("parsed.args"), argfile);
        Result jvm = launch(new ProcessBuilder("java", "@" + parsed));
        assertThat(jvm.stdout().lines()).as(jvm.stderr()).containsExactly("-Xmx64m", "-Dcaptioner.test=a b",
                "-Dai.djl.offline=true", "-Dcaptioner.home=" + windowsPath(home),
                windowsPath(home.resolve("captioner-cli/target/captioner.jar")));

        // Unset CAPTIONER_JAVA_OPTS: the JVM options ./captioner gives the same command.
        for (Map.Entry<String, String> defaults : Map.of("serve", "-Xmx1g -XX:+AlwaysPreTouch", "train",
                "-Xmx8g -XX:+AlwaysPreTouch", "caption", "-Xmx8g").entrySet()) {
            ProcessBuilder unset = new ProcessBuilder("wine", "cmd", "/c", windowsPath(home.resolve("captioner.cmd")),
                    defaults.getKey(), "--help");
            unset.environment().putAll(Map.of("WINEDEBUG", "-all", "WINEPATH", windowsPath(bin), "CAPTURE", windowsPath(capture)));
            unset.environment().remove("CAPTIONER_JAVA_OPTS");
            Result launched = launch(unset);
            assertThat(Files.readAllLines(capture, StandardCharsets.UTF_8).get(1)).as(defaults.getKey() + "; " + launched.stderr())
                    .isEqualTo(defaults.getValue());
        }
    }

    /** Prints the JVM options it was started with, then its arguments, a line each. */
    public static final class EchoJvm {
        public static void main(String[] args) {
            ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(System.out::println);
            List.of(args).forEach(System.out::println);
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static void run(ProcessBuilder command) throws IOException, InterruptedException {
        Result result = launch(command);
        assertThat(result.exitCode()).as(command.command() + ": " + result.stderr()).isZero();
    }

    /** wine's name for a file of this machine: drive Z: is the root. */
    private static String windowsPath(Path path) {
        return "Z:" + path.toAbsolutePath().toString().replace('/', '\\');
    }

    /** This machine's name for a file on wine's drive C:. */
    private static Path wineFile(String windowsPath) {
        String prefix = System.getenv().getOrDefault("WINEPREFIX", System.getProperty("user.home") + "/.wine");
        return Path.of(prefix, "drive_c", windowsPath.substring(3).replace('\\', '/'));
    }
}
