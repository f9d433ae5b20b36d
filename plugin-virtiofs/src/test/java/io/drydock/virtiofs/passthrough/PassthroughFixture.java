package io.drydock.virtiofs.passthrough;

import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.fuse.server.FuseTestClient;

import java.io.IOException;
import java.nio.file.Path;

/** A passthrough of a temp directory behind a server and an in-memory client, already INITed. */
final class PassthroughFixture implements AutoCloseable {
    final PassthroughFileSystem fs;
    final FuseTestClient client;

    PassthroughFixture(Path dir, PassthroughOptions options) throws IOException {
        fs = PassthroughFileSystem.open(dir.toString(), options);
        client = new FuseTestClient(new FuseServer(options.readonly() ? new io.drydock.virtiofs.fuse.filesystem.ReadOnlyFileSystem(fs) : fs,
                FuseServerConfig.defaults(), null, null));
        client.init();
    }

    PassthroughFixture(Path dir) throws IOException { this(dir, PassthroughOptions.defaults()); }

    FuseTestClient.Reply setattr(long node, FuseAttrs.SetattrIn in) {
        return client.send(FuseRequest.of(FuseOpcode.SETATTR, node).struct(88, (s, o) -> in.encode(s, o)));
    }

    static FuseAttrs.SetattrIn attrs(int valid, long size, int mode, int uid, int gid, long atime, long mtime, long fh) {
        return new FuseAttrs.SetattrIn(valid, fh, size, 0, atime, mtime, 0, 0, 0, 0, mode, uid, gid);
    }

    @Override public void close() {
        client.close();
        fs.close();
    }
}
