package io.jgrad.models.rbm;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;
import io.jgrad.layers.Sequential;
import io.jgrad.layers.Sigmoid;
import java.util.ArrayList;
import java.util.List;

/**
 * A deep belief network: a stack of {@link RBM}s trained greedily, one layer at a time, each on the
 * hidden probabilities of the one below (Hinton, Osindero and Teh 2006, "A fast learning algorithm for
 * deep belief nets"), then unrolled into a sigmoid MLP with the same weights for supervised
 * fine-tuning (Hinton and Salakhutdinov 2006) with the usual {@code Trainer}.
 *
 * <p>The machines are children {@code 0}, {@code 1}, ... (state dict keys {@code 0.weight},
 * {@code 0.hidden_bias}, ...). The first may have Gaussian visible units; the others are Bernoulli.
 * {@link #forward} gives the top layer's hidden probabilities.
 */
public class DBN extends Module {
    private final List<RBM> rbms = new ArrayList<>();
    private final int[] sizes;

    /**
     * A DBN with Bernoulli units throughout.
     *
     * @param sizes the visible size then each hidden layer's size: at least two entries, all at least 1
     */
    public DBN(int... sizes) {
        this(RBM.Visible.BERNOULLI, sizes);
    }

    /**
     * A DBN whose first machine has the given visible units.
     *
     * @param visible the first machine's visible units
     * @param sizes the visible size then each hidden layer's size: at least two entries, all at least 1
     */
    public DBN(RBM.Visible visible, int... sizes) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("DBN: give the visible size and at least one hidden size");
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException(
                        "DBN: layer sizes must be positive, got " + java.util.Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        for (int i = 0; i + 1 < sizes.length; i++) {
            RBM r = new RBM(sizes[i], sizes[i + 1], i == 0 ? visible : RBM.Visible.BERNOULLI);
            rbms.add(registerModule(Integer.toString(i), r));
        }
    }

    /** The machines, bottom first. */
    public List<RBM> rbms() {
        return List.copyOf(rbms);
    }

    /**
     * Greedy layer-wise pretraining: machine i is trained by {@link ContrastiveDivergence} on the hidden
     * probabilities of machine i - 1 (machine 0 on the data), each with the same options.
     *
     * @param data the training vectors (N, sizes[0])
     * @param options the training options of every layer
     * @return each layer's per-epoch statistics
     */
    public List<List<ContrastiveDivergence.Epoch>> pretrain(Tensor data, ContrastiveDivergence.Options options) {
        List<List<ContrastiveDivergence.Epoch>> out = new ArrayList<>();
        Tensor x = data;
        for (RBM r : rbms) {
            out.add(new ContrastiveDivergence(r, options).fit(x));
            x = r.transform(x);
        }
        return out;
    }

    /**
     * The network unrolled into an MLP: {@code Linear, Sigmoid} per machine with its weights and hidden
     * biases copied, then a new {@code Linear(top, outputs)} initialized from {@code g} (no activation:
     * give its output to a cross-entropy loss).
     *
     * @param outputs the size of the output layer, at least 1
     * @param g the generator of the output layer's initial weights
     * @return a new network; training it does not change this DBN
     */
    public Sequential toMlp(int outputs, Generator g) {
        if (outputs < 1) {
            throw new IllegalArgumentException("DBN.toMlp: outputs must be at least 1, got " + outputs);
        }
        List<Module> layers = new ArrayList<>();
        for (RBM r : rbms) {
            Linear l = new Linear(r.visibleUnits(), r.hiddenUnits());
            l.weight().data().copy_(r.weight());
            l.bias().data().copy_(r.hiddenBias());
            layers.add(l);
            layers.add(new Sigmoid());
        }
        Linear head = new Linear(sizes[sizes.length - 1], outputs);
        head.resetParameters(g);
        layers.add(head);
        Sequential s = new Sequential(layers.toArray(new Module[0]));
        s.to(rbms.get(0).weight().dtype());
        return s;
    }

    @Override
    public Variable forward(Variable x) {
        Variable h = x;
        for (RBM r : rbms) {
            h = r.forward(h);
        }
        return h;
    }

    @Override
    protected String extraRepr() {
        return "sizes=" + java.util.Arrays.toString(sizes);
    }
}
