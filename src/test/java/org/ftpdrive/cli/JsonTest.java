package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ftpdrive.testing.JsonReader;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\"", Json.quote("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\"", Json.quote("\n\r\t\b\f\u0000\u001f\u007f"));
        assertEquals("\"\\u2028\\u2029\"", Json.quote("\u2028\u2029"));
        assertEquals("\"é 日本 ✓\"", Json.quote("é 日本 ✓"));
    }

    @Test
    void everyStringSurvivesARoundTrip() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            all.append(c);
        }
        String text = all + "\u2028\uD83D\uDE00 \"quoted\" \\ end";
        assertEquals(text, JsonReader.parse(Json.quote(text)));
        assertFalse(Json.quote(text).chars().anyMatch(c -> c < 0x20), "no raw control characters");
    }

    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "x");
        m.put("n", 3);
        m.put("l", 4L);
        m.put("b", true);
        m.put("null", null);
        m.put("list", Arrays.asList("a", null, 1));
        m.put("empty", new ArrayList<>());
        m.put("obj", Map.of("k", "v"));
        String json = Json.write(m);
        assertEquals("{\"s\":\"x\",\"n\":3,\"l\":4,\"b\":true,\"null\":null,\"list\":[\"a\",null,1],\"empty\":[],"
                + "\"obj\":{\"k\":\"v\"}}", json);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) JsonReader.parse(json);
        assertEquals(List.of("s", "n", "l", "b", "null", "list", "empty", "obj"), List.copyOf(back.keySet()));
    }
}
