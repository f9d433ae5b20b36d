package io.drydock.kernel.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnixSocketTest {
    @TempDir Path dir;

    @Test void theListeningPathIsTheOnlyFileLeftAndAcceptsAtOnce() throws Exception {
        Path path = dir.resolve("vhost.sock");
        try (UnixSocket listener = UnixSocket.listen(path.toString());
             UnixSocket client = UnixSocket.connect(path.toString());
             UnixSocket served = listener.accept()) {
            assertTrue(Files.readAttributes(path, BasicFileAttributes.class).isOther(), "a socket at the path");
            assertEquals(java.util.List.of(path), entries(), "the staging name is gone");
            assertTrue(served.fd() >= 0 && client.fd() >= 0);
        }
    }

    @Test void anExistingPathIsNotReplacedAndNothingIsLeftBehind() throws Exception {
        Path path = dir.resolve("taken");
        Files.writeString(path, "not a socket");
        ErrnoException e = assertThrows(ErrnoException.class, () -> UnixSocket.listen(path.toString()));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("not a socket", Files.readString(path));
        assertEquals(java.util.List.of(path), entries());
    }

    private java.util.List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
