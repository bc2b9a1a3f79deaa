package io.jgrad.core.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Linux's {@code /proc/cpuinfo} says about the processor, for the few kernel choices that depend on
 * the microarchitecture rather than on the vector width (the GEMM register tile). Internal.
 */
public final class CpuInfo {
    private static final Pattern FAMILY = Pattern.compile("(?m)^cpu family\\s*:\\s*(\\d+)");

    private CpuInfo() {}

    /**
     * The first processor's description from {@code /proc/cpuinfo} (its first 40 lines), or "" where
     * there is none (another operating system) or it cannot be read.
     *
     * @return the text
     */
    public static String read() {
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/cpuinfo"))) {
            StringBuilder sb = new StringBuilder();
            String line;
            for (int i = 0; i < 40 && (line = r.readLine()) != null; i++) {
                sb.append(line).append('\n');
            }
            return sb.toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * The CPU family of an AMD processor ({@code cpu family} of a description with vendor
     * {@code AuthenticAMD}): 25 for Zen 3 and Zen 4, 26 for Zen 5; -1 for another vendor or a
     * description without it.
     *
     * @param cpuInfo text in the format of {@code /proc/cpuinfo}
     * @return the family, or -1
     */
    public static int amdFamily(String cpuInfo) {
        if (!cpuInfo.contains("AuthenticAMD")) {
            return -1;
        }
        Matcher m = FAMILY.matcher(cpuInfo);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
