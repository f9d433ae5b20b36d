package io.drydock.virtiofs.device;

import io.drydock.virtiofs.passthrough.PassthroughOptions;

import java.nio.file.Path;

/**
 * How one virtio-fs device is set up.
 *
 * @param tag           the mount tag the guest names (virtio 1.2 §5.11.4: up to 36 bytes of UTF-8); required
 * @param directory     the host directory shared as the file system's root; required, must exist
 * @param requestQueues number of request queues (virtio 1.2 §5.11.2: queues 1..N after hiprio); default 1
 * @param queueSize     the largest size of each queue (a power of two ≤ 32768); default 1024
 * @param options       the passthrough options: readonly (default false), cache never|auto|always (default
 *                      auto), xattr (default false here: guests rarely want host xattrs), open-fd budget
 * @param inline        handle requests on the notifying hart's thread instead of one worker thread per
 *                      request queue: the machine's deterministic mode; default false
 */
public record VirtioFsConfig(String tag, Path directory, int requestQueues, int queueSize, PassthroughOptions options,
                             boolean inline) {
    /** virtio 1.2 §5.11.4: {@code char tag[36]}. */
    public static final int TAG_SIZE = 36;

    public VirtioFsConfig {
        if (tag == null || tag.isEmpty()) throw new IllegalArgumentException("virtioFs: tag must not be empty");
        if (tag.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > TAG_SIZE) {
            throw new IllegalArgumentException("virtioFs: tag '" + tag + "' is longer than " + TAG_SIZE + " bytes");
        }
        if (requestQueues < 1 || requestQueues > 64) {
            throw new IllegalArgumentException("virtioFs: queues must be 1..64, was " + requestQueues);
        }
        if (queueSize < 2 || queueSize > 32768 || Integer.bitCount(queueSize) != 1) {
            throw new IllegalArgumentException("virtioFs: queueSize must be a power of two up to 32768, was " + queueSize);
        }
    }
}
