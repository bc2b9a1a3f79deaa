package io.jgrad.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() throws Json.JsonException {
        Object v = Json.parse(
                " {\"a\" : [1, -2, 0, 1.5, -2e3, 12345678901234567890123], \"b\":{\"c\":true,\"d\":false,\"e\":null},"
                        + " \"s\":\"q\\\"b\\\\s\\/ \\b\\f\\n\\r\\t \\u00e9\\uD83D\\ude00 \u00fc\"}\n");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "s"), List.copyOf(m.keySet()));
        assertEquals(Arrays.asList(1L, -2L, 0L, 1.5, -2000.0, new BigInteger("12345678901234567890123")), m.get("a"));
        Map<?, ?> b = (Map<?, ?>) m.get("b");
        assertEquals(true, b.get("c"));
        assertEquals(false, b.get("d"));
        assertTrue(b.containsKey("e"));
        assertNull(b.get("e"));
        assertEquals("q\"b\\s/ \b\f\n\r\t \u00e9\uD83D\uDE00 \u00fc", m.get("s"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(List.of(), Json.parse("[ ]"));
        assertEquals(Map.of(), Json.parse("{ }"));
    }

    @Test
    void rejectsWhatStrictJsonRejects() {
        String[] bad = {
            "",
            "   ",
            "{",
            "{\"a\":1,}",
            "[1,]",
            "{'a':1}",
            "{a:1}",
            "[01]",
            "[1.]",
            "[.5]",
            "[1e]",
            "[-]",
            "[+1]",
            "\"tab\there\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"unterminated",
            "tru",
            "nul",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "{\"a\":1,\"a\":2}",
            "[] []",
            "[NaN]",
            "[Infinity]",
            "/* c */ {}",
            "[\"\\u\u0661\u0662\u0663\u0664\"]",
            "[" + "1".repeat(200) + "]",
        };
        for (String s : bad) {
            assertThrows(Json.JsonException.class, () -> Json.parse(s), () -> "should reject: " + s);
        }
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertEquals("duplicate key \"a\" at character 7", e.getMessage());
    }

    @Test
    void limitsNesting() throws Json.JsonException {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThrows(Json.JsonException.class, () -> Json.parse(deep));
        // Far deeper than the stack would allow with unbounded recursion.
        assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":".repeat(1_000_000)));
    }

    @Test
    void quoteRoundTripsArbitraryStrings() throws Json.JsonException {
        Random r = new Random(3);
        for (int trial = 0; trial < 500; trial++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(30);
            for (int k = 0; k < n; k++) {
                int kind = r.nextInt(4);
                if (kind == 0) {
                    sb.append((char) r.nextInt(0x20)); // control characters
                } else if (kind == 1) {
                    sb.append("\"\\/'".charAt(r.nextInt(4)));
                } else if (kind == 2) {
                    sb.appendCodePoint(0x80 + r.nextInt(0xD800 - 0x80)); // BMP below the surrogates
                } else {
                    sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // surrogate pairs
                }
            }
            String s = sb.toString();
            if (!isWellFormed(s)) {
                continue;
            }
            assertEquals(s, Json.parse(Json.quote(s)));
        }
    }

    private static boolean isWellFormed(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
