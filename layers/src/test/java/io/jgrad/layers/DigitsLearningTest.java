package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Generator;
import org.junit.jupiter.api.Test;

/**
 * End to end: models built from the layers learn the UCI digits (1437 training and 360 test images
 * of 8x8 pixels, fixed split) to a stated test accuracy within a few seconds.
 */
class DigitsLearningTest {
    private static final Digits DATA = Digits.load();

    @Test
    void splitIsFixed() {
        assertEquals(1437, DATA.trainX.size(0));
        assertEquals(360, DATA.testX.size(0));
    }

    @Test
    void mlpReaches95Percent() {
        Generator.manualSeed(1);
        Sequential mlp = new Sequential(new Linear(64, 64), new ReLU(), new Dropout(0.1), new Linear(64, 10));
        mlp.setGenerator(new Generator(3));
        DATA.train(mlp, 20, 32, 3e-3, new int[] {64});
        double acc = DATA.testAccuracy(mlp, new int[] {64});
        assertTrue(acc >= 0.95, "MLP test accuracy " + acc);
    }

    @Test
    void mlpWithBatchNormReaches95Percent() {
        Generator.manualSeed(2);
        Sequential mlp = new Sequential(new Linear(64, 64), new BatchNorm1d(64), new ReLU(), new Linear(64, 10));
        DATA.train(mlp, 15, 32, 2e-3, new int[] {64});
        double acc = DATA.testAccuracy(mlp, new int[] {64});
        assertTrue(acc >= 0.95, "MLP + batch norm test accuracy " + acc);
    }

    @Test
    void smallCnnReaches95Percent() {
        Generator.manualSeed(1);
        ConvOptions same = ConvOptions.defaults().padding("same");
        // (N, 1, 8, 8) -> (N, 8, 4, 4) -> (N, 16, 2, 2) -> 10 classes
        Sequential cnn = new Sequential(
                new Conv2d(1, 8, 3, same),
                new ReLU(),
                new MaxPool2d(2),
                new Conv2d(8, 16, 3, same),
                new BatchNorm2d(16),
                new ReLU(),
                new MaxPool2d(2),
                new Flatten(),
                new Dropout(0.1),
                new Linear(64, 10));
        cnn.setGenerator(new Generator(4));
        DATA.train(cnn, 10, 32, 3e-3, new int[] {1, 8, 8});
        double acc = DATA.testAccuracy(cnn, new int[] {1, 8, 8});
        assertTrue(acc >= 0.95, "CNN test accuracy " + acc);
    }
}
