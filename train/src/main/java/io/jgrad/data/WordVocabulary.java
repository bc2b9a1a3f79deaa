package io.jgrad.data;

import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level vocabulary: texts are split into words and punctuation marks, words seen fewer than
 * {@code minCount} times map to the unknown token {@code <unk>} (id 0), the others are numbered by
 * decreasing frequency, ties in alphabetical order.
 *
 * <pre>{@code
 * List<String> tokens = WordVocabulary.tokenize(text, true);
 * WordVocabulary v = WordVocabulary.build(tokens, 2);
 * int[] ids = v.encode(tokens);
 * }</pre>
 */
public final class WordVocabulary {
    /** The token of words not in the vocabulary; its id is 0. */
    public static final String UNKNOWN = "<unk>";

    // a word: letters/digits with inner apostrophes or hyphens ("don't", "well-known"); else one punctuation mark or
    // symbol
    private static final Pattern TOKEN =
            Pattern.compile("[\\p{L}\\p{N}]+(?:['\u2019-][\\p{L}\\p{N}]+)*|[^\\s\\p{L}\\p{N}]");

    private final List<String> words;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> counts;

    private WordVocabulary(List<String> words, Map<String, Integer> counts) {
        this.words = List.copyOf(words);
        this.counts = counts;
        for (int k = 0; k < words.size(); k++) {
            index.put(words.get(k), k);
        }
    }

    /**
     * Splits a text into tokens: words (letters and digits, with inner apostrophes and hyphens) and
     * single punctuation marks; whitespace separates and is dropped.
     *
     * @param text the text
     * @param lowercase whether to lower-case the words (in the root locale)
     * @return the tokens in order
     */
    public static List<String> tokenize(String text, boolean lowercase) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            String t = m.group();
            out.add(lowercase ? t.toLowerCase(Locale.ROOT) : t);
        }
        return out;
    }

    /**
     * Builds a vocabulary from tokens.
     *
     * @param tokens the corpus' tokens
     * @param minCount the least number of occurrences for a token to get its own id (1 keeps all)
     * @return the vocabulary, {@code <unk>} first
     */
    public static WordVocabulary build(List<String> tokens, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("WordVocabulary.build: minCount must be >= 1, got " + minCount);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String t : tokens) {
            counts.merge(t, 1, Integer::sum);
        }
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minCount && !e.getKey().equals(UNKNOWN)) {
                kept.add(e.getKey());
            }
        }
        kept.sort((a, b) -> {
            int c = Integer.compare(counts.get(b), counts.get(a));
            return c != 0 ? c : a.compareTo(b);
        });
        List<String> words = new ArrayList<>(kept.size() + 1);
        words.add(UNKNOWN);
        words.addAll(kept);
        return new WordVocabulary(words, Map.copyOf(counts));
    }

    /**
     * The number of tokens, {@code <unk>} included.
     *
     * @return the vocabulary size
     */
    public int size() {
        return words.size();
    }

    /**
     * The tokens in id order.
     *
     * @return the tokens, {@code <unk>} first
     */
    public List<String> words() {
        return words;
    }

    /**
     * How often a token occurred in the corpus the vocabulary was built from.
     *
     * @param token the token
     * @return its count (0 when unseen)
     */
    public int count(String token) {
        return counts.getOrDefault(token, 0);
    }

    /**
     * The id of a token.
     *
     * @param token the token
     * @return its id, or 0 ({@code <unk>}) when it is not in the vocabulary
     */
    public int id(String token) {
        return index.getOrDefault(token, 0);
    }

    /**
     * Encodes tokens.
     *
     * @param tokens the tokens
     * @return one id per token, 0 for unknown ones
     */
    public int[] encode(List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = id(tokens.get(k));
        }
        return out;
    }

    /**
     * Encodes tokens as an INT32 tensor.
     *
     * @param tokens the tokens
     * @return the ids {@code (length)}
     */
    public Tensor encodeTensor(List<String> tokens) {
        int[] ids = encode(tokens);
        return Tensor.wrap(ids, ids.length);
    }

    /**
     * Decodes ids into tokens joined by single spaces.
     *
     * @param ids ids in {@code [0, size())}
     * @return the text
     */
    public String decode(int... ids) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < ids.length; k++) {
            if (ids[k] < 0 || ids[k] >= words.size()) {
                throw new IllegalArgumentException("WordVocabulary.decode: id " + ids[k] + " at position " + k
                        + " is out of range for a vocabulary of " + words.size());
            }
            if (k > 0) {
                sb.append(' ');
            }
            sb.append(words.get(ids[k]));
        }
        return sb.toString();
    }
}
