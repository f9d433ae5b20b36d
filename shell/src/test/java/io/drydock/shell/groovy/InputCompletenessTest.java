package io.drydock.shell.groovy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputCompletenessTest {
    @ParameterizedTest
    @ValueSource(strings = {"def f() {", "[1, 2,", "foo(1,", "'abc", "\"\"\"abc", "x = 1 +", "def x = {", "if (true)",
            "class A {", "'''x", "def s = \"${", "x = [a:", "foo(", "/* comment", "1 \\", "a.", "m = machine {\n  memory 1",
            "this is not groovy ((("})
    void unfinished(String input) {
        assertFalse(InputCompleteness.isComplete(input), input);
    }

    @ParameterizedTest
    @ValueSource(strings = {"println 6*7", "def f() { 1 }", "}", "1 +* 2", "x++", "'a' // comment (", "\"a(b\"", "",
            "def s = '''\n(\n'''", "a ? b : c", "[1, 2].each {\n  println it\n}"})
    void complete(String input) {
        assertTrue(InputCompleteness.isComplete(input), input);
    }
}
