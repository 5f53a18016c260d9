package org.captioner.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's resident memory as Linux reports it, for tests and benchmarks that bound or report it. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** VmRSS: resident now, in kB; 0 where /proc is absent. */
    public static long residentKilobytes() {
        return statusKilobytes("VmRSS:");
    }

    /** VmHWM: the most ever resident, in kB; 0 where /proc is absent. */
    public static long peakResidentKilobytes() {
        return statusKilobytes("VmHWM:");
    }

    private static long statusKilobytes(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith(field))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
