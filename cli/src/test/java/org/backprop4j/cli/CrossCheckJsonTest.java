package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backprop4j.crosscheck.BackendReport;
import org.backprop4j.crosscheck.Jvm;
import org.backprop4j.crosscheck.KernelResult;
import org.backprop4j.crosscheck.Machine;
import org.backprop4j.crosscheck.Report;
import org.backprop4j.crosscheck.Selection;
import org.backprop4j.crosscheck.TrainingResult;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;

/** The hand-written JSON of a crosscheck report: valid JSON (checked by a strict parser), strings escaped. */
class CrossCheckJsonTest {

    private static final String NASTY = "quote \" backslash \\ newline \n tab \t bell \u0007 nul \u0000 é ∞ /";

    @Test
    void stringsAreEscapedAndNonFiniteNumbersAreNull() throws IOException {
        KernelResult k = new KernelResult("gemm NN", DType.FLOAT32, 3, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, NASTY);
        TrainingResult t = new TrainingResult("W1", "784-128-64-10", DType.FLOAT32, "relu/softmax", null, 2, Double.NaN,
                Double.NaN, 1e-4, Double.POSITIVE_INFINITY, "failed");
        BackendReport b = new BackendReport("x\"y", NASTY, List.of(k), List.of(t), 12);
        Report r = new Report(new Machine(NASTY, List.of("avx2"), 4, "Linux", "amd64"),
                new Jvm("17", "Vendor \"V\"", "vm", "1"), "ref", -5, List.of(DType.FLOAT32), true, List.of(b),
                List.of(new Selection.Unavailable("panama", "needs JDK 22\r\n")), 34);
        StringWriter w = new StringWriter();

        CrossCheckJson.write(r, "1.0", w);
        Map<String, Object> json = Json.object(Json.parse(w.toString()));

        assertEquals("FAIL", json.get("verdict"));
        assertEquals(false, json.get("passed"));
        assertEquals(NASTY, Json.object(json.get("machine")).get("cpu"));
        assertEquals("Vendor \"V\"", Json.object(json.get("jvm")).get("vendor"));
        assertEquals(-5.0, Json.object(json.get("settings")).get("seed"));
        Map<String, Object> backend = Json.object(Json.list(json.get("backends")).get(0));
        assertEquals("x\"y", backend.get("name"));
        assertEquals(NASTY, backend.get("details"));
        Map<String, Object> kernel = Json.object(Json.list(backend.get("kernels")).get(0));
        assertEquals(NASTY, kernel.get("worst"));
        assertNull(kernel.get("maxAbsError"));
        assertEquals("FAIL", kernel.get("verdict"));
        Map<String, Object> training = Json.object(Json.list(backend.get("training")).get(0));
        assertNull(training.get("maxCostRelError"));
        assertNull(training.get("scaledDown"));
        assertEquals(1e-4, training.get("tolerance"));
        assertEquals("needs JDK 22\r\n", Json.object(Json.list(json.get("unavailable")).get(0)).get("reason"));
    }

    @Test
    void theParserRejectsWhatIsNotJson() {
        for (String bad : new String[] {"{", "{\"a\": 1,}", "[1 2]", "{\"a\": NaN}", "\"a\nb\"", "{} x", "01"}) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    /**
     * A strict RFC 8259 parser, small enough to trust by reading: objects become {@link Map}s (in
     * order), arrays {@link List}s, numbers {@link Double}s, and null a null.
     */
    static final class Json {
        private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            Object v = p.value();
            p.space();
            if (p.i != text.length()) {
                throw p.error("text after the value");
            }
            return v;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(Object o) {
            return (Map<String, Object>) o;
        }

        @SuppressWarnings("unchecked")
        static List<Object> list(Object o) {
            return (List<Object>) o;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at " + i);
        }

        private void space() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private void expect(char c) {
            space();
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private boolean peek(char c) {
            space();
            return i < s.length() && s.charAt(i) == c;
        }

        private Object value() {
            space();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                if (!peek('}')) {
                    do {
                        space();
                        String key = string();
                        expect(':');
                        if (m.put(key, value()) != null) {
                            throw error("duplicate key " + key);
                        }
                    } while (next('}'));
                }
                expect('}');
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                if (!peek(']')) {
                    do {
                        l.add(value());
                    } while (next(']'));
                }
                expect(']');
                return l;
            }
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            Matcher m = NUMBER.matcher(s).region(i, s.length());
            if (!m.lookingAt()) {
                throw error("not a value");
            }
            i = m.end();
            return Double.valueOf(m.group());
        }

        /** After a member or element: true on a comma (more follow), false before {@code close}. */
        private boolean next(char close) {
            if (peek(',')) {
                i++;
                return true;
            }
            if (!peek(close)) {
                throw error("expected ',' or '" + close + "'");
            }
            return false;
        }

        private String string() {
            if (i >= s.length() || s.charAt(i) != '"') {
                throw error("expected a string");
            }
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw error("unescaped control character");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"': case '\\': case '/': b.append(e); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default:
                        throw error("bad escape \\" + e);
                }
            }
        }
    }
}
