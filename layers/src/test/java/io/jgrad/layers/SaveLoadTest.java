package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.core.io.SafeTensors;
import io.jgrad.core.io.TensorFormatException;
import io.jgrad.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights in safetensors files: a state dict written by PyTorch loads and gives PyTorch's outputs;
 * save and load round trip; files that do not fit (mis-shaped, truncated, corrupt) fail with a clear
 * message and leave the model unchanged.
 */
class SaveLoadTest {
    @TempDir
    Path dir;

    /** The same architecture as the fixture script's {@code torch_model()}. */
    static Sequential cnn() {
        ConvOptions o = ConvOptions.defaults();
        return new Sequential(
                new Conv2d(1, 4, 3, o.padding(1)),
                new BatchNorm2d(4),
                new ReLU(),
                new MaxPool2d(2),
                new Conv2d(4, 6, 3, o.padding("same").bias(false)),
                new GroupNorm(2, 6),
                new GELU(),
                new Flatten(),
                new Dropout(0.3),
                new Linear(6 * 4 * 4, 16),
                new LayerNorm(16),
                new Tanh(),
                new Linear(16, 3));
    }

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = SaveLoadTest.class.getResourceAsStream("/torch/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void pyTorchStateDictGivesPyTorchOutputs() throws IOException {
        Sequential m = cnn();
        LoadResult r = m.load(resource("cnn_state.safetensors"));
        assertTrue(r.isClean(), r.toString());
        assertEquals(3, m.stateDict().get("1.num_batches_tracked").item());
        m.eval();
        Map<String, Tensor> f = Fixtures.load("/torch/MODEL_cnn.txt");
        Tensor y = m.forward(Variable.constant(f.get("x").to(DType.FLOAT32))).data();
        assertClose(f.get("y"), y, 1e-5, 1e-4, "PyTorch model output");
    }

    @Test
    void pyTorchInt64CountersLoadStrictly() throws IOException {
        Path p = resource("cnn_state_int64.safetensors");
        Sequential m = cnn();
        LoadResult r = m.load(p);
        assertTrue(r.isClean(), r.toString());
        assertEquals(3, m.stateDict().get("1.num_batches_tracked").item());
        m.eval();
        Map<String, Tensor> f = Fixtures.load("/torch/MODEL_cnn.txt");
        assertClose(
                f.get("y"),
                m.forward(Variable.constant(f.get("x").to(DType.FLOAT32))).data(),
                1e-5,
                1e-4,
                "output");
    }

    /** model.half() and model.bfloat16() state dicts load into the FLOAT32 model, giving outputs to 16-bit precision. */
    @Test
    void pyTorchHalfAndBfloat16StateDictsLoadIntoFloat32() throws IOException {
        Map<String, Tensor> f = Fixtures.load("/torch/MODEL_cnn.txt");
        for (String name : new String[] {"f16", "bf16"}) {
            Path p = resource("cnn_state_" + name + ".safetensors");
            SafeTensors file = SafeTensors.read(p);
            assertEquals(
                    name.equals("f16") ? DType.FLOAT16 : DType.BFLOAT16,
                    file.get("0.weight").dtype());
            assertEquals(DType.INT64, file.get("1.num_batches_tracked").dtype());
            Sequential m = cnn();
            assertTrue(m.load(p).isClean());
            assertEquals(DType.FLOAT32, m.stateDict().get("0.weight").dtype());
            assertTrue(m.stateDict().get("0.weight").equal(file.get("0.weight").to(DType.FLOAT32)), "exact widening");
            m.eval();
            Tensor y =
                    m.forward(Variable.constant(f.get("x").to(DType.FLOAT32))).data();
            double tol = name.equals("f16") ? 2e-2 : 1e-1; // 11 and 8 significant bits in every weight
            assertClose(f.get("y"), y, tol, tol, name + " model output");
        }
    }

    /** num_batches_tracked is INT64 like PyTorch's, saved as I64; INT32 buffers still load I64 counters. */
    @Test
    void batchNormCountersAreInt64AndSavedAsI64() throws IOException {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.forward(Variable.constant(Tensor.randn(new Generator(4), 5, 3)));
        bn.forward(Variable.constant(Tensor.randn(new Generator(5), 5, 3)));
        Tensor nbt = bn.stateDict().get("num_batches_tracked");
        assertEquals(DType.INT64, nbt.dtype());
        assertEquals(2, nbt.itemLong());
        Path p = dir.resolve("bn.safetensors");
        bn.save(p);
        String header = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.contains("\"num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[]"), header);
        BatchNorm1d back = new BatchNorm1d(3);
        assertTrue(back.load(p).isClean());
        assertEquals(2, back.stateDict().get("num_batches_tracked").itemLong());
        // a module with an INT32 counter takes the I64 value (and the old INT32 files load into INT64)
        Module legacy = new Module() {
            {
                registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT32));
            }
        };
        assertTrue(legacy.loadStateDict(Map.of("num_batches_tracked", nbt)).isClean());
        assertEquals(DType.INT32, legacy.stateDict().get("num_batches_tracked").dtype());
        assertEquals(2, legacy.stateDict().get("num_batches_tracked").getInt());
        BatchNorm1d fromInt32 = new BatchNorm1d(3);
        Map<String, Tensor> old = new java.util.LinkedHashMap<>(bn.stateDict());
        old.put("num_batches_tracked", Tensor.scalar(DType.INT32, 7));
        assertTrue(fromInt32.loadStateDict(old).isClean());
        assertEquals(7, fromInt32.stateDict().get("num_batches_tracked").itemLong());
    }

    @Test
    void saveLoadRoundTrip() throws IOException {
        Sequential a = cnn();
        a.forward(Variable.constant(Tensor.randn(new Generator(1), 4, 1, 8, 8))); // running statistics
        Path p = dir.resolve("model.safetensors");
        a.save(p);
        SafeTensors file = SafeTensors.read(p);
        assertEquals(
                List.copyOf(a.stateDict().keySet()), List.copyOf(file.tensors().keySet()));
        assertEquals("pt", file.metadata().get("format"));
        Sequential b = cnn();
        b.resetParameters(new Generator(5));
        assertTrue(b.load(p).isClean());
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            assertTrue(e.getValue().equal(b.stateDict().get(e.getKey())), e.getKey());
        }
        a.eval();
        b.eval();
        Tensor x = Tensor.randn(new Generator(2), 3, 1, 8, 8);
        assertTrue(a.forward(Variable.constant(x))
                .data()
                .equal(b.forward(Variable.constant(x)).data()));
        // saving again replaces the file and leaves no temporary file behind
        b.save(p);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("model.safetensors"),
                    files.map(q -> q.getFileName().toString()).collect(Collectors.toList()));
        }
        // float64 models save float64 tensors, which load into float32 models
        Linear d = (Linear) new Linear(3, 2).to(DType.FLOAT64);
        Path q = dir.resolve("d.safetensors");
        d.save(q);
        Linear f = new Linear(3, 2);
        f.load(q);
        assertTrue(f.weight().data().allClose(d.weight().data().to(DType.FLOAT32), 0, 0));
    }

    @Test
    void misShapedFileFailsAndLeavesTheModelUnchanged() throws IOException {
        Path p = dir.resolve("small.safetensors");
        new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2)).save(p);
        Sequential m = new Sequential(new Linear(4, 5), new ReLU(), new Linear(5, 2));
        Map<String, Tensor> before = ModuleTest.copy(m.stateDict());
        StateDictException e = assertThrows(StateDictException.class, () -> m.load(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("0.weight: expected shape (5, 4), got (3, 4)"), e.getMessage());
        assertTrue(e.getMessage().contains("2.weight: expected shape (2, 5), got (2, 3)"), e.getMessage());
        assertUnchanged(before, m);
        // non-strict: only the fitting key loads
        LoadResult r = m.load(p, false);
        assertEquals(3, r.mismatchedKeys().size());
        assertTrue(m.stateDict().get("2.bias").equal(SafeTensors.read(p).get("2.bias")));
    }

    @Test
    void truncatedOrCorruptFilesFailClearly() throws IOException {
        Sequential src = cnn();
        Path good = dir.resolve("good.safetensors");
        src.save(good);
        byte[] bytes = Files.readAllBytes(good);
        Sequential m = cnn();
        Map<String, Tensor> before = ModuleTest.copy(m.stateDict());

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 10));
        TensorFormatException t = assertThrows(TensorFormatException.class, () -> m.load(truncated));
        assertTrue(t.getMessage().contains("truncated.safetensors"), t.getMessage());
        assertUnchanged(before, m);

        Path header = dir.resolve("header.safetensors");
        Files.write(header, Arrays.copyOf(bytes, 20));
        assertThrows(TensorFormatException.class, () -> m.load(header));
        assertUnchanged(before, m);

        Path garbage = dir.resolve("garbage.safetensors");
        byte[] g = bytes.clone();
        g[12] = '#'; // inside the JSON header
        Files.write(garbage, g);
        assertThrows(TensorFormatException.class, () -> m.load(garbage));
        assertUnchanged(before, m);

        assertThrows(IOException.class, () -> m.load(dir.resolve("missing.safetensors")));
        assertUnchanged(before, m);
    }

    private static void assertUnchanged(Map<String, Tensor> before, Module m) {
        Map<String, Tensor> now = m.stateDict();
        for (Map.Entry<String, Tensor> e : before.entrySet()) {
            assertTrue(e.getValue().equal(now.get(e.getKey())), e.getKey() + " was modified");
            assertArrayEquals(e.getValue().shape(), now.get(e.getKey()).shape());
        }
    }
}
