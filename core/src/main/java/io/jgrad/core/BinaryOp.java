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
    GE("ge", true);

    final String opName;
    final boolean intOk;

    BinaryOp(String opName, boolean intOk) {
        this.opName = opName;
        this.intOk = intOk;
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
