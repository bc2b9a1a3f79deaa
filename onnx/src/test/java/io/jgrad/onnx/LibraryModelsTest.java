package io.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Generator;
import io.jgrad.layers.Sequential;
import io.jgrad.models.gan.DCGAN;
import io.jgrad.models.rbf.RBFNetwork;
import io.jgrad.models.rbm.DBN;
import org.junit.jupiter.api.Test;

/** The reusable models of jgrad-models that are layer trees export; those with their own forward say so. */
class LibraryModelsTest {
    @Test
    void dcganGeneratorAndDiscriminators() {
        Sequential gen = DCGAN.generator(16, new Generator(1));
        ModelRoundTripTest.randomizeNorms(gen, 2);
        OrtCheck.check(gen, -1, 16);
        for (DCGAN.Norm norm : DCGAN.Norm.values()) {
            Sequential disc = DCGAN.discriminator(norm, new Generator(3));
            ModelRoundTripTest.randomizeNorms(disc, 4);
            OrtCheck.check(disc, -1, 1, 28, 28);
        }
    }

    @Test
    void dbnUnrolledIntoAnMlp() {
        OrtCheck.check(new DBN(20, 12, 8).toMlp(3, new Generator(5)), -1, 20);
    }

    @Test
    void modelsWithTheirOwnForwardAreUnsupported() {
        UnsupportedLayerException e = assertThrows(
                UnsupportedLayerException.class,
                () -> OnnxExporter.create().toBytes(new Sequential(new RBFNetwork(4, 5, 2)), -1, 4));
        assertEquals("io.jgrad.models.rbf.RBFNetwork", e.layerClass());
        assertEquals("0", e.path());
        assertTrue(e.getMessage().contains("RBFNetwork at '0'"), e.getMessage());
    }
}
