package org.captioner.features;

import ai.onnxruntime.OrtEnvironment;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Obtains ONNX Runtime's process-wide environment without letting its start-up kill the JVM.
 *
 * <p>ONNX Runtime 1.29 on Linux starts a telemetry client when the environment is created. The client
 * matches a {@code std::regex} against {@code /proc/self/cmdline}, and libstdc++'s regex recurses about
 * 256 bytes of stack per byte of input: on a Java thread's default 1 MB stack the JVM dies with SIGSEGV (no
 * error, no hs_err file) once the java command line passes 3,980 bytes. So the environment is created once,
 * on a thread whose stack is sized for the command line; afterwards any thread may use it.
 */
final class OnnxRuntimeStart {
    /** Four times the stack the regex was measured to take per byte of command line. */
    static final long STACK_BYTES_PER_COMMAND_LINE_BYTE = 1024;
    /** A Java thread's default stack, ample for the rest of the start. */
    static final long BASE_STACK_BYTES = 1 << 20;

    private static final Path COMMAND_LINE = Path.of("/proc/self/cmdline");
    private static boolean started;

    private OnnxRuntimeStart() {
    }

    /**
     * The environment, started on a thread with enough stack the first time.
     *
     * @throws IOException when no thread with that stack can be created (a command line of many megabytes)
     */
    static synchronized OrtEnvironment environment() throws IOException {
        if (!started) {
            startOnSizedThread(commandLineBytes());
            started = true;
        }
        return OrtEnvironment.getEnvironment();
    }

    static long stackBytesFor(long commandLineBytes) {
        return BASE_STACK_BYTES + commandLineBytes * STACK_BYTES_PER_COMMAND_LINE_BYTE;
    }

    /** Length of this process's command line; 0 where the system does not show it (not Linux). */
    static long commandLineBytes() {
        try {
            return Files.isReadable(COMMAND_LINE) ? Files.readAllBytes(COMMAND_LINE).length : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void startOnSizedThread(long commandLineBytes) throws IOException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long stackBytes = stackBytesFor(commandLineBytes);
        Thread starter = new Thread(null, () -> {
            try {
                OrtEnvironment.getEnvironment();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "onnxruntime-start", stackBytes);
        try {
            starter.start();
        } catch (OutOfMemoryError e) {
            throw new IOException("the java command line is " + commandLineBytes + " bytes; ONNX Runtime needs a "
                    + (stackBytes >> 20) + " MB thread stack to start with it and none could be created: pass the"
                    + " arguments in a java @argfile (see README)", e);
        }
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while ONNX Runtime started");
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
    }
}
