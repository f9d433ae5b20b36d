package io.drydock.osv;

import io.drydock.kernel.machine.MachineException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The unikernel image built into this plugin (from {@code plugin-osv-guest/prebuilt/osv-kernel.elf}),
 * written once to a file named by its SHA-256 in the temporary directory, since the board loads images
 * from files. Identical bytes are never written twice; a changed image gets a new file.
 */
final class PrebuiltImage {
    static final String RESOURCE = "/io/drydock/osv/osv-kernel.elf";
    private static Path cached;

    private PrebuiltImage() {}

    static synchronized Path path() {
        if (cached != null && Files.isRegularFile(cached)) return cached;
        byte[] bytes;
        try (InputStream in = PrebuiltImage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new MachineException("osv: this build has no prebuilt guest image (plugin-osv-guest/prebuilt/"
                        + "osv-kernel.elf); build one with scripts/build or give image: 'path/to/osv-kernel.elf'");
            }
            bytes = in.readAllBytes();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            Path file = Path.of(System.getProperty("java.io.tmpdir"), "drydock-osv-kernel-" + sha + ".elf");
            if (!Files.isRegularFile(file) || Files.size(file) != bytes.length) {
                Path tmp = Files.createTempFile(file.getParent(), "drydock-osv-", ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            cached = file;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("osv: cannot write the prebuilt image to the temporary directory", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
