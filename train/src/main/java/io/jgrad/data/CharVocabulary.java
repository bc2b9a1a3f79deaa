package io.jgrad.data;

import io.jgrad.core.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The characters (Unicode code points) of a text corpus, numbered in sorted order: a character-level
 * language model's vocabulary. Tiny Shakespeare has 65 of them.
 *
 * <pre>{@code
 * CharVocabulary v = CharVocabulary.of(text);
 * int[] ids = v.encode(text);              // one id per character
 * String back = v.decode(ids);             // equals text
 * }</pre>
 */
public final class CharVocabulary {
    private final int[] codePoints;
    private final Map<Integer, Integer> index = new HashMap<>();

    private CharVocabulary(int[] codePoints) {
        this.codePoints = codePoints;
        for (int k = 0; k < codePoints.length; k++) {
            index.put(codePoints[k], k);
        }
    }

    /**
     * The vocabulary of the distinct characters of {@code text}.
     *
     * @param text the corpus (non-empty)
     * @return the vocabulary, ids in code point order
     */
    public static CharVocabulary of(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("CharVocabulary.of: the text is empty");
        }
        TreeSet<Integer> set = new TreeSet<>();
        text.codePoints().forEach(set::add);
        return new CharVocabulary(set.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The vocabulary of the given characters, numbered in the given order.
     *
     * @param characters the distinct characters
     * @return the vocabulary
     */
    public static CharVocabulary ofCharacters(String characters) {
        int[] cps = characters.codePoints().toArray();
        if (cps.length == 0 || Arrays.stream(cps).distinct().count() != cps.length) {
            throw new IllegalArgumentException(
                    "CharVocabulary.ofCharacters: expected distinct characters, got '" + characters + "'");
        }
        return new CharVocabulary(cps);
    }

    /**
     * The number of characters.
     *
     * @return the vocabulary size
     */
    public int size() {
        return codePoints.length;
    }

    /**
     * The characters in id order.
     *
     * @return the string of all characters
     */
    public String characters() {
        return new String(codePoints, 0, codePoints.length);
    }

    /**
     * The id of a character.
     *
     * @param codePoint the character
     * @return its id, or -1 when it is not in the vocabulary
     */
    public int id(int codePoint) {
        Integer i = index.get(codePoint);
        return i == null ? -1 : i;
    }

    /**
     * Encodes a text.
     *
     * @param text the text
     * @return one id per character
     * @throws IllegalArgumentException naming the first character not in the vocabulary and its position
     */
    public int[] encode(String text) {
        int[] cps = text.codePoints().toArray();
        int[] out = new int[cps.length];
        for (int k = 0; k < cps.length; k++) {
            Integer i = index.get(cps[k]);
            if (i == null) {
                throw new IllegalArgumentException("CharVocabulary.encode: character '" + new String(cps, k, 1)
                        + "' (U+" + String.format("%04X", cps[k]) + ") at position " + k + " is not in the vocabulary");
            }
            out[k] = i;
        }
        return out;
    }

    /**
     * Encodes a text as an INT32 tensor.
     *
     * @param text the text
     * @return the ids {@code (length)}
     */
    public Tensor encodeTensor(String text) {
        int[] ids = encode(text);
        return Tensor.wrap(ids, ids.length);
    }

    /**
     * Decodes ids.
     *
     * @param ids ids in {@code [0, size())}
     * @return the text
     */
    public String decode(int... ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int k = 0; k < ids.length; k++) {
            if (ids[k] < 0 || ids[k] >= codePoints.length) {
                throw new IllegalArgumentException("CharVocabulary.decode: id " + ids[k] + " at position " + k
                        + " is out of range for a vocabulary of " + codePoints.length);
            }
            sb.appendCodePoint(codePoints[ids[k]]);
        }
        return sb.toString();
    }
}
