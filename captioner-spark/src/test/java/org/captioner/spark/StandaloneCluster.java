package org.captioner.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1: a Master and one Worker, each in its own JVM, run from a SPARK_HOME
 * that holds only {@code jars/} (Spark from Maven Central). Closing it stops both (the Worker ends its executors).
 */
final class StandaloneCluster implements AutoCloseable {
    private static final long START_SECONDS = 120;

    private final Path sparkHome;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    private final int masterPort;

    record Result(int exitCode, String stdout, String stderr) {
    }

    private StandaloneCluster(Path sparkHome, Path logs) throws IOException {
        this.sparkHome = sparkHome;
        this.logs = logs;
        this.masterPort = freePort();
    }

    /** Starts the Master and a Worker with {@code cores} cores and {@code memory} for executors; waits until it registered. */
    static StandaloneCluster start(Path sparkHome, Path logs, int cores, String memory) throws Exception {
        StandaloneCluster cluster = new StandaloneCluster(sparkHome, logs);
        try {
            cluster.launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(cluster.masterPort), "--webui-port", String.valueOf(freePort()));
            cluster.awaitLog(0, "master", "I have been elected leader");
            cluster.launch("worker", "org.apache.spark.deploy.worker.Worker", cluster.masterUrl(), "--host", "127.0.0.1",
                    "--port", String.valueOf(freePort()), "--webui-port", String.valueOf(freePort()),
                    "--cores", String.valueOf(cores), "--memory", memory,
                    "--work-dir", Files.createDirectories(logs.resolve("work")).toString());
            cluster.awaitLog(1, "worker", "Successfully registered with master");
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** {@code spark-submit} of {@code appJar} (its main class from the manifest) with {@code args}; waits for it. */
    Result submit(Path appJar, List<String> conf, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(),
                "--conf", "spark.driver.host=127.0.0.1", "--class", "org.captioner.spark.SparkApp"));
        command.addAll(conf);
        command.add(appJar.toString());
        command.addAll(List.of(args));
        String name = "submit-" + args[0] + "-" + System.nanoTime();
        Process driver = launch(name, command.toArray(String[]::new));
        if (!driver.waitFor(5, TimeUnit.MINUTES)) {
            driver.destroyForcibly();
            throw new AssertionError("spark-submit did not finish in 5 minutes: " + Files.readString(logs.resolve(name + ".err")));
        }
        return new Result(driver.exitValue(), Files.readString(logs.resolve(name + ".out")), Files.readString(logs.resolve(name + ".err")));
    }

    private Process launch(String name, String... mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", sparkHome.resolve("jars") + "/*"));
        command.addAll(List.of(mainAndArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(logs.resolve(name + ".err").toFile());
        // Gotchas of a SPARK_HOME without bin/: executors need both variables, and everything stays on loopback.
        Map<String, String> environment = builder.environment();
        environment.put("SPARK_HOME", sparkHome.toString());
        environment.put("SPARK_SCALA_VERSION", "2.13");
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void awaitLog(int process, String name, String line) throws Exception {
        Path log = logs.resolve(name + ".err");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline && processes.get(process).isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not log '" + line + "' (ended, or not within " + START_SECONDS + " s): "
                + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM to every process, newest first; SIGKILL to any still alive after 30 s. */
    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
