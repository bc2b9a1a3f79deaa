package io.jgrad.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a data set's folder in the standard places, so that examples and benchmarks need no
 * configuration when the data is installed.
 *
 * <p>Without an explicit folder, {@link #find} looks in order in
 * <ol>
 *   <li>{@code /usr/share/datasets/<name>} (where Debian's {@code dataset-*} packages install, e.g.
 *       {@code apt-get install dataset-fashion-mnist})</li>
 *   <li>{@code ~/.jgrad/datasets/<name>}</li>
 *   <li>the current folder, then {@code ./<name>}</li>
 * </ol>
 * and takes the first folder holding every required file. A required file {@code f} is also
 * satisfied by {@code f.gz}. An explicit folder (a program's {@code --data DIR}) is searched alone,
 * as {@code DIR} then {@code DIR/<name>}: a folder the user names is never silently replaced by
 * another. When nothing is found the exception's message lists every folder searched, the missing
 * files and how to get them.
 */
public final class DataPaths {
    private static final Map<String, String> HOW_TO_GET = Map.of(
            "fashion-mnist",
                    "on Debian or Ubuntu run `apt-get install dataset-fashion-mnist` (it installs the files into"
                            + " /usr/share/datasets/fashion-mnist), or download the four IDX files train-images-idx3-ubyte.gz,"
                            + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from"
                            + " https://github.com/zalandoresearch/fashion-mnist (folder data/fashion) into ~/.jgrad/datasets/fashion-mnist",
            "mnist",
                    "download the four IDX files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
                            + " t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz of MNIST into ~/.jgrad/datasets/mnist");

    private DataPaths() {}

    /**
     * The folder of data set {@code name}.
     *
     * @param name the data set's name, e.g. {@code "fashion-mnist"}
     * @param explicitDirOrNull a folder given by the user (searched alone), or null for the standard places
     * @param requiredFiles files that must all be in the folder (each also as {@code .gz})
     * @return the first folder holding all required files
     * @throws DatasetNotFoundException when no folder holds them; the message says where it looked
     *     and how to get the files
     */
    public static Path find(String name, Path explicitDirOrNull, String... requiredFiles) {
        return find(name, explicitDirOrNull, standardPlaces(name), requiredFiles);
    }

    /**
     * The folders searched for {@code name} when no explicit folder is given, in order.
     *
     * @param name the data set's name
     * @return the candidate folders
     */
    public static List<Path> standardPlaces(String name) {
        checkName(name);
        List<Path> out = new ArrayList<>();
        out.add(Path.of("/usr/share/datasets", name));
        String home = System.getProperty("user.home");
        if (home != null && !home.isEmpty()) {
            out.add(Path.of(home, ".jgrad", "datasets", name));
        }
        Path cwd = Path.of("").toAbsolutePath();
        out.add(cwd);
        out.add(cwd.resolve(name));
        return out;
    }

    /** {@link #find} over given standard places (tests replace the machine's folders). */
    static Path find(String name, Path explicitDirOrNull, List<Path> places, String... requiredFiles) {
        checkName(name);
        List<Path> candidates = new ArrayList<>();
        if (explicitDirOrNull != null) {
            Path dir = explicitDirOrNull.toAbsolutePath().normalize();
            candidates.add(dir);
            candidates.add(dir.resolve(name));
        } else {
            candidates.addAll(places);
        }
        Set<Path> seen = new LinkedHashSet<>();
        StringBuilder looked = new StringBuilder();
        for (Path dir : candidates) {
            if (!seen.add(dir)) {
                continue;
            }
            List<String> missing = missing(dir, requiredFiles);
            if (missing.isEmpty() && Files.isDirectory(dir)) {
                return dir;
            }
            looked.append("\n  ")
                    .append(dir)
                    .append(": ")
                    .append(!Files.isDirectory(dir) ? "no such folder" : "missing " + String.join(", ", missing));
        }
        String how = HOW_TO_GET.getOrDefault(
                name,
                "put the files " + String.join(", ", requiredFiles) + " (plain or .gz) into" + " ~/.jgrad/datasets/"
                        + name + " or into a folder given with --data DIR");
        throw new DatasetNotFoundException("Data set '" + name + "' not found"
                + (explicitDirOrNull != null ? " in the folder given (" + explicitDirOrNull + ")" : "")
                + "; needed files: " + String.join(", ", requiredFiles) + " (each plain or .gz). Looked in:" + looked
                + "\nTo get it: " + how
                + (explicitDirOrNull != null
                        ? "; or omit --data to search the standard places" + " (/usr/share/datasets/" + name
                                + ", ~/.jgrad/datasets/" + name + ", the current folder)"
                        : "")
                + ".");
    }

    private static List<String> missing(Path dir, String[] required) {
        List<String> out = new ArrayList<>();
        for (String f : required) {
            if (resolve(dir, f) == null) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The file {@code fileName} in {@code dir}, or its gzip-compressed form {@code fileName.gz}.
     *
     * @param dir the folder
     * @param fileName the plain file name
     * @return the existing file (the plain one when both exist), or null
     */
    public static Path resolve(Path dir, String fileName) {
        Path plain = dir.resolve(fileName);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(fileName + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains("..")) {
            throw new IllegalArgumentException("DataPaths: invalid data set name '" + name + "'");
        }
    }
}
