package io.jgrad.models.seq2seq;

/**
 * The ids of the special tokens of a sequence-to-sequence vocabulary: padding (ignored by attention
 * and the loss), beginning of sequence (the decoder's first input) and end of sequence (the decoder's
 * last output). The three ids must differ and be non-negative.
 *
 * @param pad the padding id
 * @param bos the beginning-of-sequence id
 * @param eos the end-of-sequence id
 */
public record SpecialTokens(int pad, int bos, int eos) {
    /** Checks the ids. */
    public SpecialTokens {
        if (pad < 0 || bos < 0 || eos < 0 || pad == bos || pad == eos || bos == eos) {
            throw new IllegalArgumentException(
                    "SpecialTokens: pad, bos and eos must be distinct and non-negative, got pad=" + pad + ", bos=" + bos
                            + ", eos=" + eos);
        }
    }

    /** Pad 0, bos 1, eos 2. */
    public static final SpecialTokens DEFAULT = new SpecialTokens(0, 1, 2);

    void checkVocabulary(String owner, int vocab) {
        if (Math.max(pad, Math.max(bos, eos)) >= vocab) {
            throw new IllegalArgumentException(
                    owner + ": special tokens " + this + " do not fit a vocabulary of " + vocab);
        }
    }
}
