package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The provider picks the implementation the test run was configured for (surefire runs both). */
class KernelProviderTest {
    @Test
    void simdMatchesTheConfiguredRun() {
        String expect = System.getProperty("jgrad.test.expectSimd");
        assertNotNull(expect, "the build sets jgrad.test.expectSimd for each surefire execution");
        boolean want = Boolean.parseBoolean(expect);
        assertEquals(
                want,
                KernelProvider.simd(),
                "active kernels: " + KernelProvider.kernels().name());
        assertEquals(want, KernelProvider.vector().isPresent());
        if (want) {
            assertTrue(
                    KernelProvider.kernels().name().startsWith("vector ("),
                    KernelProvider.kernels().name());
        } else {
            assertSame(KernelProvider.plain(), KernelProvider.kernels());
        }
    }
}
