package org.example.failing;

import org.pf4j.Plugin;

/** A plugin whose start fails. */
public class FailingPlugin extends Plugin {
    @Override public void start() {
        throw new IllegalStateException("the device is on fire");
    }
}
