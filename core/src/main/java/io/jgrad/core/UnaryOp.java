package io.jgrad.core;

import io.jgrad.core.kernel.Erf;

/** The element-wise unary operations; {@code p} and {@code q} are optional parameters. */
enum UnaryOp {
    NEG("neg", true),
    ABS("abs", true),
    SIGN("sign", true),
    SQUARE("square", true),
    RELU("relu", true),
    EXP("exp", false),
    LOG("log", false),
    LOG1P("log1p", false),
    EXPM1("expm1", false),
    SQRT("sqrt", false),
    RSQRT("rsqrt", false),
    RECIPROCAL("reciprocal", false),
    SIN("sin", false),
    COS("cos", false),
    TANH("tanh", false),
    SIGMOID("sigmoid", false),
    LEAKY_RELU("leakyRelu", false),
    ELU("elu", false),
    SELU("selu", false),
    GELU("gelu", false),
    GELU_TANH("geluTanh", false),
    SOFTPLUS("softplus", false),
    MISH("mish", false),
    SILU("silu", false),
    CLAMP("clamp", true),
    ERF("erf", false);

    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;
    /** sqrt(2 / pi) and the cubic coefficient of GELU's tanh approximation. */
    static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    static final double GELU_TANH_CUBIC = 0.044715;

    final String opName;
    final boolean intOk;

    UnaryOp(String opName, boolean intOk) {
        this.opName = opName;
        this.intOk = intOk;
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    static double softplus(double x) {
        // PyTorch: beta 1, threshold 20 -> linear above 20
        return x > 20 ? x : Math.log1p(Math.exp(x));
    }

    /** The standard normal CDF, via erf. */
    static double phi(double x) {
        return 0.5 * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    /** The op on an INT64 value, for the ops with {@code intOk} ({@code p} and {@code q} are clamp's bounds). */
    long applyL(long x, long p, long q) {
        switch (this) {
            case NEG:
                return -x;
            case ABS:
                return Math.abs(x);
            case SIGN:
                return Long.signum(x);
            case SQUARE:
                return x * x;
            case RELU:
                return Math.max(x, 0);
            case CLAMP:
                return Math.min(Math.max(x, p), q);
            default:
                throw new IllegalStateException(opName);
        }
    }

    double apply(double x, double p, double q) {
        switch (this) {
            case NEG:
                return -x;
            case ABS:
                return Math.abs(x);
            case SIGN:
                return x > 0 ? 1 : x < 0 ? -1 : 0; // NaN -> 0, as PyTorch
            case SQUARE:
                return x * x;
            case RELU:
                return x < 0 ? 0 : x;
            case EXP:
                return Math.exp(x);
            case LOG:
                return Math.log(x);
            case LOG1P:
                return Math.log1p(x);
            case EXPM1:
                return Math.expm1(x);
            case SQRT:
                return Math.sqrt(x);
            case RSQRT:
                return 1 / Math.sqrt(x);
            case RECIPROCAL:
                return 1 / x;
            case SIN:
                return Math.sin(x);
            case COS:
                return Math.cos(x);
            case TANH:
                return Math.tanh(x);
            case SIGMOID:
                return sigmoid(x);
            case LEAKY_RELU:
                return x > 0 ? x : p * x;
            case ELU:
                return x > 0 ? x : p * Math.expm1(x);
            case SELU:
                return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
            case GELU:
                return x * phi(x);
            case GELU_TANH:
                return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x)));
            case SOFTPLUS:
                return softplus(x);
            case MISH:
                return x * Math.tanh(softplus(x));
            case SILU:
                return x * sigmoid(x);
            case CLAMP:
                return Double.isNaN(x) ? x : Math.min(Math.max(x, p), q);
            case ERF:
                return Erf.erf(x);
            default:
                throw new IllegalStateException(opName);
        }
    }
}
