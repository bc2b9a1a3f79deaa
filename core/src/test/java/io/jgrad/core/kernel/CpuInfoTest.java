package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

class CpuInfoTest {
    @Test
    void readsTheFamilyOfAnAmdProcessor() {
        String zen5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n"
                + "model name\t: AMD EPYC\n";
        assertEquals(26, CpuInfo.amdFamily(zen5));
        assertEquals(25, CpuInfo.amdFamily(zen5.replace(": 26", ": 25")));
    }

    @Test
    void anotherVendorOrNoFamilyIsMinusOne() {
        assertEquals(-1, CpuInfo.amdFamily("vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\n"));
        assertEquals(-1, CpuInfo.amdFamily("vendor_id\t: AuthenticAMD\nmodel\t\t: 2\n"));
        assertEquals(-1, CpuInfo.amdFamily(""));
    }

    @Test
    void readingNeverFails() {
        assertNotNull(CpuInfo.read());
    }
}
