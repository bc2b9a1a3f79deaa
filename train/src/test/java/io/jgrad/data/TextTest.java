package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {
    private static final String VERSE =
            "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n";

    @Test
    void charactersRoundTrip() {
        CharVocabulary v = CharVocabulary.of(VERSE);
        String chars = VERSE.chars()
                .distinct()
                .sorted()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        assertEquals(chars, v.characters());
        assertEquals(chars.length(), v.size());
        int[] ids = v.encode(VERSE);
        assertEquals(VERSE.length(), ids.length);
        for (int k = 0; k < ids.length; k++) {
            assertEquals(chars.indexOf(VERSE.charAt(k)), ids[k]);
        }
        assertEquals(VERSE, v.decode(ids));
        assertEquals(0, v.id('\n'), "newline sorts first");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("hear!"));
        assertEquals(
                "CharVocabulary.encode: character '!' (U+0021) at position 4 is not in the vocabulary", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.decode(v.size()));
        // code points outside the BMP are one character each
        CharVocabulary u = CharVocabulary.of("a\uD83D\uDE00b");
        assertEquals(3, u.size());
        assertEquals("\uD83D\uDE00a", u.decode(u.encode("\uD83D\uDE00a")));
    }

    @Test
    void wordsAndPunctuation() {
        List<String> tokens = WordVocabulary.tokenize("Don't stop -- well-known, 42 times!  Stop.", true);
        assertEquals(List.of("don't", "stop", "-", "-", "well-known", ",", "42", "times", "!", "stop", "."), tokens);
        List<String> corpus = WordVocabulary.tokenize(VERSE, true);
        WordVocabulary v = WordVocabulary.build(corpus, 2);
        // counts: speak 3, "." 2, ":" 2, "," 2; everything else once
        assertEquals(List.of(WordVocabulary.UNKNOWN, "speak", ",", ".", ":"), v.words());
        assertEquals(3, v.count("speak"));
        int[] ids = v.encode(WordVocabulary.tokenize("Speak, citizen.", true));
        assertArrayEquals(new int[] {1, 2, 0, 3}, ids);
        assertEquals("speak , <unk> .", v.decode(ids));
        WordVocabulary all = WordVocabulary.build(corpus, 1);
        assertEquals(corpus.stream().distinct().count() + 1, all.size());
        assertTrue(all.id("citizen") > 0);
        assertThrows(IllegalArgumentException.class, () -> WordVocabulary.build(corpus, 0));
    }

    @Test
    void nextTokenWindows() {
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        SequenceDataset d = new SequenceDataset(ids, 4, 3);
        assertEquals(2, d.size()); // windows at 0 and 3 (the one at 6 lacks a target for its last token)
        assertArrayEquals(new int[] {3, 4, 5, 6}, d.get(1).input().toIntArray());
        assertArrayEquals(new int[] {4, 5, 6, 7}, d.get(1).target().toIntArray());
        Batch b = d.getBatch(new int[] {1, 0});
        assertArrayEquals(new int[] {2, 4}, b.input().shape());
        assertArrayEquals(new int[] {3, 4, 5, 6, 0, 1, 2, 3}, b.input().toIntArray());
        assertArrayEquals(new int[] {4, 5, 6, 7, 1, 2, 3, 4}, b.target().toIntArray());
        assertEquals(6, new SequenceDataset(ids, 4, 1).size());
        assertThrows(IllegalArgumentException.class, () -> new SequenceDataset(ids, 10, 1));
    }
}
