package io.jgrad.autograd;

import io.jgrad.core.DType;
import io.jgrad.core.Recycling;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A tensor value that takes part in automatic differentiation: its {@link #data()}, whether it
 * {@link #requiresGrad()}, its accumulated gradient {@link #grad()}, and the {@link Node} that
 * produced it ({@link #gradFn()}, null for leaves).
 *
 * <p>Operations on variables compute their result with core tensor operations and, when grad mode is
 * on and an input requires gradients, record a node with the operation's backward rule.
 * {@link #backward()} on a scalar (or {@link #backward(Tensor)} with an explicit output gradient)
 * walks the recorded graph in reverse, sums gradients over every use and over broadcast dimensions,
 * accumulates them into the leaves' {@code grad}, and frees the saved values unless the graph is
 * retained. Backward rules are written with differentiable operations, so
 * {@link #backward(Tensor, boolean, boolean) backward with createGraph} (or
 * {@link Autograd#grad}) gives higher-order gradients.
 *
 * <p>Every operation here, and every one in {@link NN}, is differentiable at every order: while a
 * backward pass records (create-graph), each backward rule builds its result from recorded
 * operations; fused kernels serve only the first-order path.
 */
public class Variable {
    private Tensor data;
    private Variable grad;
    private boolean requiresGrad;
    private Node gradFn;
    List<UnaryOperator<Variable>> hooks;
    private String name;

    /** A leaf that does not require gradients (a constant). */
    public Variable(Tensor data) {
        this(data, false);
    }

    /** A leaf; with {@code requiresGrad} its gradient is accumulated by {@link #backward()}. */
    public Variable(Tensor data, boolean requiresGrad) {
        if (data == null) {
            throw new IllegalArgumentException("Variable: data must not be null");
        }
        if (requiresGrad && !data.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Variable: only floating point tensors can require gradients, got "
                    + data.dtype() + " " + Shape.format(data.shape()) + storageHint(data.dtype()));
        }
        this.data = data;
        this.requiresGrad = requiresGrad;
    }

    /** A constant (no gradient) wrapping {@code t}. */
    public static Variable constant(Tensor t) {
        return new Variable(t, false);
    }

    /** A leaf requiring gradients wrapping {@code t}. */
    public static Variable param(Tensor t) {
        return new Variable(t, true);
    }

    void attach(Node n) {
        this.gradFn = n;
        this.requiresGrad = true;
        n.setOutput(this);
    }

    // ------------------------------------------------------------------------------------------ state

    /** The value. */
    public Tensor data() {
        return data;
    }

    /**
     * Replaces the value of a leaf (e.g. when loading weights). The shape and dtype must match;
     * prefer {@code data().copy_(t)} to keep optimizer state tied to the same tensor.
     */
    public void setData(Tensor t) {
        if (gradFn != null) {
            throw new IllegalStateException(
                    "setData: only leaf variables can have their data replaced (this one was made by '" + gradFn.name()
                            + "')");
        }
        if (!Arrays.equals(t.shape(), data.shape()) || t.dtype() != data.dtype()) {
            throw new IllegalArgumentException("setData: new value " + t.dtype() + " " + Shape.format(t.shape())
                    + " does not match " + data.dtype() + " " + Shape.format(data.shape()));
        }
        this.data = t;
    }

    /**
     * The accumulated gradient, or null when none has been computed (or after {@link #zeroGrad()}). The
     * tensor returned is the caller's to keep: its array is never reused for another gradient.
     */
    public Tensor grad() {
        if (grad == null) {
            return null;
        }
        Recycling.pin(grad.data());
        return grad.data();
    }

    /**
     * The accumulated gradient for a use that ends before the next {@link #zeroGrad()} or backward pass
     * (an optimizer's update, gradient clipping): unlike {@link #grad()} it does not stop the engine from
     * reusing the array once the gradient is cleared, so the tensor must not be kept. Null when none.
     */
    public Tensor peekGrad() {
        return grad == null ? null : grad.data();
    }

    /** The gradient as a variable: with {@code createGraph} it is differentiable. Null when none. */
    public Variable gradVariable() {
        if (grad != null) {
            Recycling.pin(grad.data());
        }
        return grad;
    }

    /** Sets (or clears, with null) the gradient. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape(), data.shape())) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shape.format(g.shape())
                    + " does not match the variable's shape " + Shape.format(data.shape()));
        }
        Recycling.pin(g);
        this.grad = g == null ? null : new Variable(g);
    }

    void setGradInternal(Variable g) {
        this.grad = g;
    }

    /**
     * Clears the gradient (sets it to null, like PyTorch's {@code set_to_none}). A gradient that the
     * backward pass made and that nobody was given (through {@link #grad()}) has its array recycled.
     */
    public void zeroGrad() {
        if (grad != null && !grad.requiresGrad() && Recycling.ownedGradient(grad.data())) {
            Recycling.giveBack(grad.data());
        }
        this.grad = null;
    }

    /** True when this variable's gradient is (a view of) {@code t}'s storage. */
    boolean holdsGrad(Tensor t) {
        return grad != null && grad.data().sharesStorage(t);
    }

    /** True when gradients flow to or through this variable. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Turns gradient tracking of a leaf on or off (e.g. to freeze it). */
    public Variable requiresGrad(boolean on) {
        if (gradFn != null && !on) {
            throw new IllegalStateException(
                    "requiresGrad(false): only leaves can stop requiring gradients; use detach()");
        }
        if (on && !data.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("requiresGrad: only floating point tensors can require gradients, got "
                    + data.dtype() + storageHint(data.dtype()));
        }
        this.requiresGrad = on;
        return this;
    }

    /** The advice for the 16-bit storage types, which have no arithmetic. */
    private static String storageHint(DType dtype) {
        return dtype.isStorageOnly() ? " (a storage type: convert with to(DType.FLOAT32))" : "";
    }

    /** The node that produced this variable, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** True when this variable was not produced by a recorded operation. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** An optional name (used by layers and in messages). */
    public String name() {
        return name;
    }

    /** Sets the name. */
    public Variable name(String n) {
        this.name = n;
        return this;
    }

    /** A new leaf sharing this value, cut from the graph (no gradient). */
    public Variable detach() {
        return new Variable(data, false);
    }

    /** Shape of the value. */
    public int[] shape() {
        return data.shape();
    }

    /** Size of one dimension. */
    public int size(int dim) {
        return data.size(dim);
    }

    /** Rank of the value. */
    public int dim() {
        return data.dim();
    }

    /** Element count. */
    public int numel() {
        return data.numel();
    }

    /** Element type. */
    public DType dtype() {
        return data.dtype();
    }

    /** The value of a one-element variable. */
    public double item() {
        return data.item();
    }

    /**
     * Registers a hook called with this variable's gradient during backward; it may return a
     * replacement gradient (or null to keep it). For leaves it runs once on the summed gradient before
     * accumulation.
     */
    public void registerHook(UnaryOperator<Variable> hook) {
        if (!requiresGrad) {
            throw new IllegalStateException(
                    "registerHook: cannot register a hook on a variable that does not require gradients");
        }
        if (gradFn != null) {
            gradFn.addHook(hook);
        } else {
            if (hooks == null) {
                hooks = new ArrayList<>();
            }
            hooks.add(hook);
        }
    }

    /** Keeps the gradient of this non-leaf variable in {@link #grad()} after backward. */
    public void retainGrad() {
        if (gradFn != null) {
            gradFn.retainGrad = true;
        }
    }

    void accumulateGrad(Variable g, boolean createGraph) {
        if (createGraph) {
            grad = grad == null ? g : grad.add(g);
            return;
        }
        Tensor t = g.data();
        if (grad == null) {
            grad = new Variable(t.isContiguous() && !g.sharedGrad ? t : t.clone());
        } else if (!grad.requiresGrad() && Recycling.addableInPlace(grad.data(), t)) {
            grad.data().add_(t); // nobody was given the old gradient: accumulate in place
        } else {
            grad = new Variable(grad.data().add(t));
        }
    }

    /** Set by the engine when this gradient's storage may be shared with another gradient. */
    boolean sharedGrad;

    // ------------------------------------------------------------------------------------------ backward

    /** Backpropagates from this scalar. */
    public void backward() {
        backward(null, false, false);
    }

    /** Backpropagates from this variable given the gradient of the loss with respect to it. */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    /**
     * Backpropagates. {@code retainGraph} keeps the saved values for another backward;
     * {@code createGraph} records the backward computation so the gradients are differentiable.
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward: this variable does not require gradients (no input of the "
                    + "computation has requiresGrad=true, or it ran under noGrad())");
        }
        Tensor seed = Engine.seedGradient(this, gradient);
        Variable g = new Variable(seed);
        g.sharedGrad = gradient != null;
        Engine.run(List.of(this), List.of(g), retainGraph || createGraph, createGraph, null);
    }

    // ------------------------------------------------------------------------------------------ element-wise

    /** {@code this + other}, broadcast. */
    public Variable add(Variable other) {
        return PointwiseOps.add(this, other);
    }

    /** {@code this + value}. */
    public Variable add(double value) {
        return PointwiseOps.addScalar(this, value);
    }

    /** {@code this - other}, broadcast. */
    public Variable sub(Variable other) {
        return PointwiseOps.sub(this, other);
    }

    /** {@code this - value}. */
    public Variable sub(double value) {
        return PointwiseOps.addScalar(this, -value);
    }

    /** {@code value - this}. */
    public Variable rsub(double value) {
        return PointwiseOps.neg(this).add(value);
    }

    /** {@code this * other}, broadcast. */
    public Variable mul(Variable other) {
        return PointwiseOps.mul(this, other);
    }

    /** {@code this * value}. */
    public Variable mul(double value) {
        return PointwiseOps.mulScalar(this, value);
    }

    /** {@code this / other}, broadcast. */
    public Variable div(Variable other) {
        return PointwiseOps.div(this, other);
    }

    /** {@code this / value}. */
    public Variable div(double value) {
        return PointwiseOps.mulScalar(this, 1.0 / value);
    }

    /** {@code value / this}. */
    public Variable rdiv(double value) {
        return PointwiseOps.reciprocal(this).mul(value);
    }

    /** {@code this ^ other}, broadcast. */
    public Variable pow(Variable other) {
        return PointwiseOps.pow(this, other);
    }

    /** {@code this ^ exponent}. */
    public Variable pow(double exponent) {
        return PointwiseOps.powScalar(this, exponent);
    }

    /** Element-wise maximum (ties share the gradient equally, as PyTorch). */
    public Variable maximum(Variable other) {
        return PointwiseOps.maximum(this, other, true);
    }

    /** Element-wise minimum (ties share the gradient equally). */
    public Variable minimum(Variable other) {
        return PointwiseOps.maximum(this, other, false);
    }

    /** {@code -this}. */
    public Variable neg() {
        return PointwiseOps.neg(this);
    }

    /** {@code |this|} (gradient 0 at 0). */
    public Variable abs() {
        return PointwiseOps.abs(this);
    }

    /** Sign (zero gradient). */
    public Variable sign() {
        return constant(data.sign());
    }

    /** {@code e^x}. */
    public Variable exp() {
        return PointwiseOps.exp(this);
    }

    /** Natural logarithm. */
    public Variable log() {
        return PointwiseOps.log(this);
    }

    /** {@code log(1 + x)}. */
    public Variable log1p() {
        return PointwiseOps.log1p(this);
    }

    /** {@code e^x - 1}. */
    public Variable expm1() {
        return PointwiseOps.expm1(this);
    }

    /** Square root. */
    public Variable sqrt() {
        return PointwiseOps.sqrt(this);
    }

    /** {@code 1 / sqrt(x)}. */
    public Variable rsqrt() {
        return PointwiseOps.rsqrt(this);
    }

    /** {@code x * x}. */
    public Variable square() {
        return PointwiseOps.square(this);
    }

    /** {@code 1 / x}. */
    public Variable reciprocal() {
        return PointwiseOps.reciprocal(this);
    }

    /** Sine. */
    public Variable sin() {
        return PointwiseOps.sin(this);
    }

    /** Cosine. */
    public Variable cos() {
        return PointwiseOps.cos(this);
    }

    /** Hyperbolic tangent. */
    public Variable tanh() {
        return PointwiseOps.tanh(this);
    }

    /** Logistic sigmoid. */
    public Variable sigmoid() {
        return PointwiseOps.sigmoid(this);
    }

    /** {@code max(x, 0)}. */
    public Variable relu() {
        return PointwiseOps.relu(this);
    }

    /** Leaky ReLU with negative slope {@code slope}. */
    public Variable leakyRelu(double slope) {
        return PointwiseOps.leakyRelu(this, slope);
    }

    /** ELU with scale {@code alpha}. */
    public Variable elu(double alpha) {
        return PointwiseOps.elu(this, alpha);
    }

    /** SELU. */
    public Variable selu() {
        return PointwiseOps.selu(this);
    }

    /** Exact GELU. */
    public Variable gelu() {
        return PointwiseOps.gelu(this);
    }

    /** GELU with the tanh approximation. */
    public Variable geluTanh() {
        return PointwiseOps.geluTanh(this);
    }

    /** Softplus {@code log(1 + e^x)} (linear above 20). */
    public Variable softplus() {
        return PointwiseOps.softplus(this);
    }

    /** Mish {@code x * tanh(softplus(x))}. */
    public Variable mish() {
        return mul(softplus().tanh());
    }

    /** SiLU / swish {@code x * sigmoid(x)}. */
    public Variable silu() {
        return PointwiseOps.silu(this);
    }

    /** The error function. */
    public Variable erf() {
        return PointwiseOps.erf(this);
    }

    /** Clamps into {@code [min, max]}; the gradient passes where {@code min <= x <= max}. */
    public Variable clamp(double min, double max) {
        return PointwiseOps.clamp(this, min, max);
    }

    /** {@code cond != 0 ? a : b}, broadcast; {@code cond} is a constant mask. */
    public static Variable where(Tensor cond, Variable a, Variable b) {
        return PointwiseOps.where(cond, a, b);
    }

    /** A copy with {@code value} where {@code mask} is non-zero (no gradient flows there). */
    public Variable maskedFill(Tensor mask, double value) {
        return PointwiseOps.maskedFill(this, mask, value);
    }

    // ------------------------------------------------------------------------------------------ reductions

    /** Sum of all elements. */
    public Variable sum() {
        return ReduceOps.sum(this, null, false);
    }

    /** Sum over one dimension. */
    public Variable sum(int dim, boolean keepdim) {
        return ReduceOps.sum(this, new int[] {dim}, keepdim);
    }

    /** Sum over dimensions. */
    public Variable sum(int[] dims, boolean keepdim) {
        return ReduceOps.sum(this, dims, keepdim);
    }

    /** Mean of all elements. */
    public Variable mean() {
        return ReduceOps.mean(this, null, false);
    }

    /** Mean over one dimension. */
    public Variable mean(int dim, boolean keepdim) {
        return ReduceOps.mean(this, new int[] {dim}, keepdim);
    }

    /** Mean over dimensions. */
    public Variable mean(int[] dims, boolean keepdim) {
        return ReduceOps.mean(this, dims, keepdim);
    }

    /** Product of all elements. */
    public Variable prod() {
        return ReduceOps.prod(this, null, false);
    }

    /** Product over dimensions. */
    public Variable prod(int[] dims, boolean keepdim) {
        return ReduceOps.prod(this, dims, keepdim);
    }

    /** Maximum of all elements (ties share the gradient evenly). */
    public Variable max() {
        return ReduceOps.amax(this, null, false, true);
    }

    /** Minimum of all elements (ties share the gradient evenly). */
    public Variable min() {
        return ReduceOps.amax(this, null, false, false);
    }

    /** Maximum over dims, values only (ties share the gradient evenly, like {@code torch.amax}). */
    public Variable amax(int[] dims, boolean keepdim) {
        return ReduceOps.amax(this, dims, keepdim, true);
    }

    /** Minimum over dims, values only. */
    public Variable amin(int[] dims, boolean keepdim) {
        return ReduceOps.amax(this, dims, keepdim, false);
    }

    /** Maximum along {@code dim}; the gradient goes to the returned index, like {@code torch.max(dim)}. */
    public Variable max(int dim, boolean keepdim) {
        return ReduceOps.maxDim(this, dim, keepdim, true);
    }

    /** Minimum along {@code dim}; the gradient goes to the returned index. */
    public Variable min(int dim, boolean keepdim) {
        return ReduceOps.maxDim(this, dim, keepdim, false);
    }

    /** Index of the maximum along {@code dim} (not differentiable). */
    public Tensor argmax(int dim, boolean keepdim) {
        return data.argmax(dim, keepdim);
    }

    /** Variance over dims with the given correction (1 = unbiased). */
    public Variable var(int[] dims, int correction, boolean keepdim) {
        return ReduceOps.var(this, dims, correction, keepdim);
    }

    /** Standard deviation over dims with the given correction. */
    public Variable std(int[] dims, int correction, boolean keepdim) {
        return var(dims, correction, keepdim).sqrt();
    }

    /** Euclidean norm of all elements (gradient 0 at 0, as PyTorch). */
    public Variable norm() {
        return ReduceOps.norm2(this, null, false);
    }

    /** p-norm over dims ({@code null} for all). */
    public Variable norm(double p, int[] dims, boolean keepdim) {
        if (p == 2) {
            return ReduceOps.norm2(this, dims, keepdim);
        }
        if (p == 1) {
            return abs().sum(dims, keepdim);
        }
        if (p == Double.POSITIVE_INFINITY) {
            return abs().amax(dims, keepdim);
        }
        return abs().pow(p).sum(dims, keepdim).pow(1 / p);
    }

    /** {@code log(sum(exp(x)))} over dims. */
    public Variable logsumexp(int[] dims, boolean keepdim) {
        return ReduceOps.logsumexp(this, dims, keepdim);
    }

    /** {@code log(sum(exp(x)))} over one dim. */
    public Variable logsumexp(int dim, boolean keepdim) {
        return ReduceOps.logsumexp(this, new int[] {dim}, keepdim);
    }

    /** Softmax along {@code dim}. */
    public Variable softmax(int dim) {
        return ReduceOps.softmax(this, dim);
    }

    /** Log-softmax along {@code dim}. */
    public Variable logSoftmax(int dim) {
        return ReduceOps.logSoftmax(this, dim);
    }

    /** Cumulative sum along {@code dim}. */
    public Variable cumsum(int dim) {
        return ReduceOps.cumsum(this, dim);
    }

    // ------------------------------------------------------------------------------------------ shapes

    /** Reshape (a view when possible). */
    public Variable reshape(int... shape) {
        return ShapeOps.reshape(this, shape);
    }

    /** View (never copies; fails when impossible). */
    public Variable view(int... shape) {
        return ShapeOps.view(this, shape);
    }

    /** Reorders dimensions. */
    public Variable permute(int... dims) {
        return ShapeOps.permute(this, dims);
    }

    /** Swaps two dimensions. */
    public Variable transpose(int dim0, int dim1) {
        return ShapeOps.transpose(this, dim0, dim1);
    }

    /** Matrix transpose. */
    public Variable t() {
        return dim() < 2 ? this : transpose(0, 1);
    }

    /** Moves a dimension. */
    public Variable movedim(int source, int destination) {
        int r = dim();
        int s = Shape.wrapDim("movedim", source, r);
        int d = Shape.wrapDim("movedim", destination, r);
        int[] perm = new int[r];
        int[] rest = new int[r - 1];
        for (int k = 0, p = 0; k < r; k++) {
            if (k != s) {
                rest[p++] = k;
            }
        }
        for (int k = 0, p = 0; k < r; k++) {
            perm[k] = k == d ? s : rest[p++];
        }
        return permute(perm);
    }

    /** Broadcast view to a larger shape. */
    public Variable expand(int... sizes) {
        return ShapeOps.expand(this, sizes);
    }

    /** Removes size-1 dimensions. */
    public Variable squeeze() {
        return reshape(data.squeeze().shape());
    }

    /** Removes dimension {@code dim} if it has size 1. */
    public Variable squeeze(int dim) {
        return reshape(data.squeeze(dim).shape());
    }

    /** Inserts a size-1 dimension. */
    public Variable unsqueeze(int dim) {
        return reshape(data.unsqueeze(dim).shape());
    }

    /** Flattens to 1-D. */
    public Variable flatten() {
        return reshape(-1);
    }

    /** Flattens dims {@code startDim..endDim}. */
    public Variable flatten(int startDim, int endDim) {
        return reshape(data.flatten(startDim, endDim).shape());
    }

    /** Elements {@code start .. start+length-1} along {@code dim}. */
    public Variable narrow(int dim, int start, int length) {
        return ShapeOps.narrow(this, dim, start, length);
    }

    /** Python-style slice along {@code dim}. */
    public Variable slice(int dim, int start, int end, int step) {
        return ShapeOps.slice(this, dim, start, end, step);
    }

    /** Indexes one position along {@code dim}, removing it. */
    public Variable select(int dim, int index) {
        return ShapeOps.select(this, dim, index);
    }

    /** A contiguous copy when needed (identity for gradients). */
    public Variable contiguous() {
        return data.isContiguous() ? this : ShapeOps.contiguous(this);
    }

    /** Concatenation along {@code dim}. */
    public static Variable cat(List<Variable> vs, int dim) {
        return ShapeOps.cat(vs, dim);
    }

    /** Stacking along a new dimension. */
    public static Variable stack(List<Variable> vs, int dim) {
        return ShapeOps.stack(vs, dim);
    }

    /** Splits into pieces of {@code size} along {@code dim}. */
    public List<Variable> split(int size, int dim) {
        return ShapeOps.split(this, size, dim);
    }

    /** Splits into {@code chunks} pieces along {@code dim}. */
    public List<Variable> chunk(int chunks, int dim) {
        int d = Shape.wrapDim("chunk", dim, dim());
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: number of chunks must be positive, got " + chunks);
        }
        int size = (shape()[d] + chunks - 1) / chunks;
        return split(Math.max(size, 1), d);
    }

    /** Pads trailing dimensions like {@code F.pad}. */
    public Variable pad(int[] pads, Tensor.PadMode mode, double value) {
        return ShapeOps.pad(this, pads, mode, value);
    }

    /** Gathers along {@code dim} with an INT32 index. */
    public Variable gather(int dim, Tensor index) {
        return ShapeOps.gather(this, dim, index);
    }

    /** Selects entries along {@code dim} with a 1-D INT32 index. */
    public Variable indexSelect(int dim, Tensor index) {
        return ShapeOps.indexSelect(this, dim, index);
    }

    /** A copy with {@code src} added at {@code index} along {@code dim}. */
    public Variable scatterAdd(int dim, Tensor index, Variable src) {
        return ShapeOps.scatterAdd(this, dim, index, src);
    }

    /** Repeats along each dimension. */
    public Variable repeat(int... repeats) {
        return ShapeOps.repeat(this, repeats);
    }

    /** Reverses the order along dims. */
    public Variable flip(int... dims) {
        return ShapeOps.flip(this, dims);
    }

    /** Lower triangle of the last two dims. */
    public Variable tril(int k) {
        return ShapeOps.triangle(this, k, true);
    }

    /** Upper triangle of the last two dims. */
    public Variable triu(int k) {
        return ShapeOps.triangle(this, k, false);
    }

    // ------------------------------------------------------------------------------------------ linear algebra

    /** Matrix product with PyTorch's {@code matmul} semantics. */
    public Variable matmul(Variable other) {
        return LinalgOps.matmul(this, other);
    }

    /** Dot product of vectors. */
    public Variable dot(Variable other) {
        return mul(other).sum();
    }

    /** Outer product of vectors. */
    public Variable outer(Variable other) {
        return unsqueeze(1).mul(other.unsqueeze(0));
    }

    @Override
    public String toString() {
        String t = data.toString();
        t = t.substring(0, t.length() - 1);
        if (gradFn != null) {
            return t + ", gradFn=" + gradFn + ")";
        }
        return requiresGrad ? t + ", requiresGrad=true)" : t + ")";
    }
}
