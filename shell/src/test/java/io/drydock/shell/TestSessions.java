package io.drydock.shell;

import io.drydock.shell.plugin.PluginHost;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sessions for tests, with their output captured; the fake board plugin is loaded once per test run. */
final class TestSessions {
    private TestSessions() {}

    private static PluginHost fakeBoardHost;

    record Captured(Session session, StringWriter out, StringWriter err) {
        /** Output so far, with Windows-free line ends. */
        String output() {
            session.out().flush();
            return out.toString();
        }
    }

    static Captured withPlugins(PluginHost host) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Session s = new Session(host, new PrintWriter(out, true), new PrintWriter(err, true), false);
        return new Captured(s, out, err);
    }

    /** A session without plugins. */
    static Captured plain() {
        try {
            return withPlugins(PluginHost.load(Files.createTempDirectory("no-plugins"), "0.1.0"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A session with the fake board plugin (word fakeboard, command :fake, binding adder). */
    static synchronized Captured withFakeBoard() {
        if (fakeBoardHost == null) {
            try {
                Path dir = Files.createTempDirectory("fakeboard-plugins");
                PluginJars.write(dir, PluginJars.fakeBoard());
                fakeBoardHost = PluginHost.load(dir, "0.1.0");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return withPlugins(fakeBoardHost);
    }
}
