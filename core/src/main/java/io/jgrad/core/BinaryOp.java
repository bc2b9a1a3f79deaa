package io.jgrad.core;

/** The element-wise binary operations, with their names for error messages. */
enum BinaryOp {
    ADD("add", true),
    SUB("sub", true),
    MUL("mul", true),
    DIV("div", false),
    POW("pow", false),
    MAX("maximum", true),
    MIN("minimum", true),
    EQ("eq", true),
    NE("ne", true),
    LT("lt", true),
    LE("le", true),
    GT("gt", true),
    GE("ge", true),
    AND("logicalAnd", true),
    OR("logicalOr", true),
    XOR("logicalXor", true);

    final String opName;
    final boolean intOk;

    BinaryOp(String opName, boolean intOk) {
        this.opName = opName;
        this.intOk = intOk;
    }

    /** True for the comparisons and logical ops, whose result is a BOOL mask. */
    boolean isMask() {
        return ordinal() >= EQ.ordinal();
    }

    /** The comparison or logical op on two doubles (NaN compares false, except for ne). */
    boolean test(double a, double b) {
        if (ordinal() < AND.ordinal() && (Double.isNaN(a) || Double.isNaN(b))) {
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
