package io.jgrad.core.kernel;

import java.lang.reflect.Constructor;
import java.util.Optional;

/**
 * Chooses the kernels once, at class initialisation: the Vector API implementation when the JVM runs
 * with {@code --add-modules jdk.incubator.vector} (the class is loaded by name, so nothing else links
 * against the incubator module), otherwise the plain-Java one. Logs once through
 * {@link System.Logger} which path is active and, on the fallback, the flag that turns SIMD on.
 *
 * <p>System properties: {@code jgrad.simd=false} forces the plain path; {@code jgrad.simd.maxBits}
 * (128, 256 or 512) caps the vector width.
 */
public final class KernelProvider {
    /** The JVM option that enables the SIMD kernels. */
    public static final String SIMD_FLAG = "--add-modules jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger("io.jgrad.core.kernel");
    private static final Kernels INSTANCE = choose();

    private KernelProvider() {}

    /** The active kernels. */
    public static Kernels kernels() {
        return INSTANCE;
    }

    /** True when the Vector API kernels are active. */
    public static boolean simd() {
        return !(INSTANCE instanceof PlainKernels);
    }

    /** The plain-Java kernels (always available; used as the oracle in tests). */
    public static Kernels plain() {
        return PlainKernels.INSTANCE;
    }

    /** The Vector API kernels if the module is readable, else empty. */
    public static Optional<Kernels> vector() {
        if (!vectorModulePresent()) {
            return Optional.empty();
        }
        try {
            Class<?> cls = Class.forName("io.jgrad.core.kernel.simd.VectorKernels");
            Constructor<?> c = cls.getDeclaredConstructor();
            return Optional.of((Kernels) c.newInstance());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "jgrad: could not load the Vector API kernels (" + e + "); using plain Java");
            return Optional.empty();
        }
    }

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static Kernels choose() {
        if ("false".equalsIgnoreCase(System.getProperty("jgrad.simd", "true"))) {
            LOG.log(System.Logger.Level.INFO, "jgrad: plain Java kernels (SIMD disabled by -Djgrad.simd=false)");
            return PlainKernels.INSTANCE;
        }
        if (!vectorModulePresent()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "jgrad: plain Java kernels; run the JVM with " + SIMD_FLAG
                            + " to enable the much faster SIMD kernels");
            return PlainKernels.INSTANCE;
        }
        Optional<Kernels> v = vector();
        if (v.isPresent()) {
            LOG.log(System.Logger.Level.DEBUG, "jgrad: " + v.get().name() + " kernels");
            return v.get();
        }
        return PlainKernels.INSTANCE;
    }
}
