package io.jgrad.spark;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on this machine for tests: a Master and {@code n} Workers, each its
 * own JVM started from the test class path, and the executors that the Workers start for an
 * application. The Workers need a SPARK_HOME to build the executors' command line: a temporary one
 * with an empty {@code jars/} folder does, since the executors get the test class path through
 * {@code spark.executor.extraClassPath}. {@link #close()} stops every process it started.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    final String url;
    final String classPath;
    final String jvmFlags;
    private final Path logConfig;

    StandaloneCluster(Path dir, int numWorkers) throws IOException, InterruptedException {
        this.dir = dir;
        Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(sparkHome.resolve("jars"));
        classPath = testClassPath();
        // the Master and Workers log their life cycle (INFO), which start-up waits for
        logConfig = dir.resolve("log4j2-cluster.properties");
        Files.writeString(
                logConfig,
                String.join(
                        "\n",
                        "rootLogger.level = warn",
                        "rootLogger.appenderRef.stderr.ref = console",
                        "appender.console.type = Console",
                        "appender.console.name = console",
                        "appender.console.target = SYSTEM_ERR",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex",
                        "logger.deploy.name = org.apache.spark.deploy",
                        "logger.deploy.level = info",
                        ""));
        jvmFlags = System.getProperty("spark.test.jvm.flags", "");
        int port = freePort();
        url = "spark://127.0.0.1:" + port;
        Path masterLog = dir.resolve("master.log");
        master = start(
                sparkHome,
                masterLog,
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--webui-port",
                String.valueOf(freePort()));
        try {
            waitFor(masterLog, "I have been elected leader", 1, master);
            for (int i = 0; i < numWorkers; i++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + i));
                workers.add(start(
                        sparkHome,
                        dir.resolve("worker-" + i + ".log"),
                        "org.apache.spark.deploy.worker.Worker",
                        "--host",
                        "127.0.0.1",
                        "--cores",
                        "1",
                        "--memory",
                        "1g",
                        "--webui-port",
                        String.valueOf(freePort()),
                        "--work-dir",
                        work.toString(),
                        url));
            }
            waitFor(masterLog, "Registering worker", numWorkers, master);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The class path of this test JVM (surefire passes it in a property; its own is a manifest-only jar). */
    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private Process start(Path sparkHome, Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-Dlog4j2.configurationFile=" + logConfig.toUri());
        cmd.addAll(Arrays.asList(jvmFlags.trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOG_DIR", dir.toString());
        return pb.start();
    }

    /** Waits until a log holds a line {@code count} times, failing fast when the process died. */
    private static void waitFor(Path log, String text, int count, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String s = Files.exists(log) ? Files.readString(log) : "";
            int n = 0;
            for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
                n++;
            }
            if (n >= count) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the process writing " + log + " exited: " + s);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "no '" + text + "' x" + count + " in " + log + " after 90 s: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The executor JVMs that the Workers have started. */
    List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Process w : workers) {
            w.descendants()
                    .filter(h -> h.isAlive() && commandLine(h).contains("CoarseGrainedExecutorBackend"))
                    .forEach(out::add);
        }
        return out;
    }

    /** A process's full command line (ProcessHandle.Info cuts long ones short), from /proc where there is one. */
    private static String commandLine(ProcessHandle h) {
        Path proc = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
        try {
            if (Files.exists(proc)) {
                return new String(Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
            }
        } catch (IOException e) {
            // gone meanwhile
        }
        return h.info().commandLine().orElse("");
    }

    /** The tail of a log, for failure messages. */
    String logs() {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".log")
                            || f.getFileName().toString().equals("stderr"))
                    .toList()) {
                String s = Files.readString(p);
                sb.append("==== ")
                        .append(p)
                        .append('\n')
                        .append(s, Math.max(0, s.length() - 3000), s.length())
                        .append('\n');
            }
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        List<ProcessHandle> children = new ArrayList<>();
        for (Process p : all) {
            if (p != null) {
                p.descendants().forEach(children::add);
                p.destroy();
            }
        }
        for (Process p : all) {
            if (p != null) {
                try {
                    if (!p.waitFor(20, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (ProcessHandle h : children) {
            h.destroyForcibly();
        }
    }

    File dir() {
        return dir.toFile();
    }
}
