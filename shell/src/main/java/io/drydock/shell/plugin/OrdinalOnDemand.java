package io.drydock.shell.plugin;

import org.pf4j.AbstractExtensionFinder;
import org.pf4j.Extension;
import org.pf4j.ExtensionDescriptor;
import org.pf4j.ExtensionFactory;
import org.pf4j.ExtensionWrapper;

/**
 * An extension whose {@code @Extension} annotation is read only when its ordinal or descriptor is asked for.
 * PF4J reads it for every extension it finds, although the ordinal matters only where two or more extensions
 * of one point are sorted; and the first annotation a cold JVM reads is dear: the annotation parser starts
 * up and generates a dynamic proxy class each for {@code @Retention}, {@code @Target} and {@code @Extension}
 * (the AOT cache holds none), 5-13 ms of a bare ELF's start, whose machine has one extension of each point
 * (docs/startup.md, sixth pass). What the extension is, its instance, its ordinal and the order of a sorted
 * list are the same as PF4J's: {@link #compareTo} reads the ordinals of both sides.
 */
final class OrdinalOnDemand<T> extends ExtensionWrapper<T> {
    private final Class<?> extensionClass;
    private volatile ExtensionDescriptor descriptor;

    OrdinalOnDemand(Class<?> extensionClass, ExtensionFactory factory) {
        // the superclass uses its descriptor only for the class to instantiate; getDescriptor() is the real one
        super(new ExtensionDescriptor(0, extensionClass), factory);
        this.extensionClass = extensionClass;
    }

    /** The descriptor PF4J would have made: the ordinal of the class's (or a meta-annotation's) {@code @Extension}, else 0. */
    @Override public ExtensionDescriptor getDescriptor() {
        ExtensionDescriptor d = descriptor;
        if (d == null) {
            Extension annotation = AbstractExtensionFinder.findExtensionAnnotation(extensionClass);
            descriptor = d = new ExtensionDescriptor(annotation == null ? 0 : annotation.ordinal(), extensionClass);
        }
        return d;
    }

    @Override public int getOrdinal() { return getDescriptor().ordinal; }
}
