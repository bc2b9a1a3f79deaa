package io.jgrad.core;

/** The element-wise binary operations, with their names for error messages. */
enum BinaryOp {
    ADD("add", true, Kind.ARITHMETIC),
    SUB("sub", true, Kind.ARITHMETIC),
    MUL("mul", true, Kind.ARITHMETIC),
    DIV("div", false, Kind.ARITHMETIC),
    POW("pow", false, Kind.ARITHMETIC),
    MAX("maximum", true, Kind.ARITHMETIC),
    MIN("minimum", true, Kind.ARITHMETIC),
    EQ("eq", true, Kind.COMPARISON),
    NE("ne", true, Kind.COMPARISON),
    LT("lt", true, Kind.COMPARISON),
    LE("le", true, Kind.COMPARISON),
    GT("gt", true, Kind.COMPARISON),
    GE("ge", true, Kind.COMPARISON),
    AND("logicalAnd", true, Kind.LOGICAL),
    OR("logicalOr", true, Kind.LOGICAL),
    XOR("logicalXor", true, Kind.LOGICAL);

    /** What an op computes: a value of its operands' type, or a BOOL mask. */
    private enum Kind {
        ARITHMETIC,
        COMPARISON,
        LOGICAL
    }

    final String opName;
    final boolean intOk;
    private final Kind kind;

    BinaryOp(String opName, boolean intOk, Kind kind) {
        this.opName = opName;
        this.intOk = intOk;
        this.kind = kind;
    }

    /** True for the comparisons and logical ops, whose result is a BOOL mask. */
    boolean isMask() {
        return kind != Kind.ARITHMETIC;
    }

    /** The comparison or logical op on two doubles (NaN compares false, except for ne). */
    boolean test(double a, double b) {
        if (kind == Kind.COMPARISON && (Double.isNaN(a) || Double.isNaN(b))) {
            return this == NE; // NaN is unordered
        }
        return ofOrder(a < b ? -1 : a > b ? 1 : 0, a != 0, b != 0); // a NaN is non-zero, so true
    }

    /** The comparison or logical op on two longs. */
    boolean testL(long a, long b) {
        return ofOrder(Long.compare(a, b), a != 0, b != 0);
    }

    /** The result from the operands' order ({@code -1, 0, 1}) and whether each is non-zero (true). */
    private boolean ofOrder(int order, boolean a, boolean b) {
        switch (this) {
            case EQ:
                return order == 0;
            case NE:
                return order != 0;
            case LT:
                return order < 0;
            case LE:
                return order <= 0;
            case GT:
                return order > 0;
            case GE:
                return order >= 0;
            case AND:
                return a && b;
            case OR:
                return a || b;
            default:
                return a != b;
        }
    }

    /** The arithmetic op on longs (wrapping, like C), for INT64. */
    long applyL(long a, long b) {
        switch (this) {
            case ADD:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            case MAX:
                return Math.max(a, b);
            case MIN:
                return Math.min(a, b);
            default:
                throw new IllegalStateException(opName);
        }
    }

    /** The arithmetic op on BOOL values 0 and 1: add and max are or, mul and min are and. */
    byte applyB(byte a, byte b) {
        switch (this) {
            case ADD:
            case MAX:
                return (byte) (a | b);
            case MUL:
            case MIN:
                return (byte) (a & b);
            default:
                throw new IllegalStateException(opName);
        }
    }

    double apply(double a, double b) {
        switch (this) {
            case ADD:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            case DIV:
                return a / b;
            case POW:
                return Math.pow(a, b);
            case MAX:
                return Math.max(a, b);
            case MIN:
                return Math.min(a, b);
            case EQ:
                return a == b ? 1 : 0;
            case NE:
                return a != b ? 1 : 0;
            case LT:
                return a < b ? 1 : 0;
            case LE:
                return a <= b ? 1 : 0;
            case GT:
                return a > b ? 1 : 0;
            default:
                return a >= b ? 1 : 0;
        }
    }

    float applyF(float a, float b) {
        switch (this) {
            case ADD:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            case DIV:
                return a / b;
            case POW:
                return (float) Math.pow(a, b);
            case MAX:
                return Math.max(a, b);
            case MIN:
                return Math.min(a, b);
            case EQ:
                return a == b ? 1 : 0;
            case NE:
                return a != b ? 1 : 0;
            case LT:
                return a < b ? 1 : 0;
            case LE:
                return a <= b ? 1 : 0;
            case GT:
                return a > b ? 1 : 0;
            default:
                return a >= b ? 1 : 0;
        }
    }

    int applyI(int a, int b) {
        switch (this) {
            case ADD:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            case MAX:
                return Math.max(a, b);
            case MIN:
                return Math.min(a, b);
            case EQ:
                return a == b ? 1 : 0;
            case NE:
                return a != b ? 1 : 0;
            case LT:
                return a < b ? 1 : 0;
            case LE:
                return a <= b ? 1 : 0;
            case GT:
                return a > b ? 1 : 0;
            case GE:
                return a >= b ? 1 : 0;
            default:
                throw new IllegalStateException(opName);
        }
    }
}
