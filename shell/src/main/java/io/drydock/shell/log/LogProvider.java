package io.drydock.shell.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of Drydock's entry points: logback's {@link LoggerContext}, configured directly by
 * {@link LogConfigurator}. Logback's own provider runs its {@code ContextInitializer} first (a service
 * lookup over every jar for configurators, version checks of its jars, a status printer whose date
 * formatter initialises java.time's zone database): about a second of a cold {@code scripts/run} on the
 * 2-core machine, for a run that usually logs nothing. {@link #select()} names this provider in
 * {@code slf4j.provider}, so SLF4J does not scan the class path for providers either. A user's own
 * {@code -Dlogback.configurationFile=...} still goes through logback's initialiser (XML and all).
 */
public final class LogProvider implements SLF4JServiceProvider {
    private LoggerContext context;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    /** Makes SLF4J use this provider, unless the command line chose one; call before the first logger. */
    public static void select() {
        if (System.getProperty("slf4j.provider") != null) return;
        System.setProperty("slf4j.provider", LogProvider.class.getName());
        // SLF4J says at INFO on standard error that it loads an explicitly named provider; not news here.
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "WARN");
    }

    @Override public void initialize() {
        context = new LoggerContext();
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        mdc = new LogbackMDCAdapter();
        context.setMDCAdapter(mdc);
        markers = new BasicMarkerFactory();
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                System.err.println("logging: " + e.getMessage());
            }
        } else {
            new LogConfigurator().configure(context);
        }
        context.start();
    }

    @Override public ILoggerFactory getLoggerFactory() { return context; }
    @Override public IMarkerFactory getMarkerFactory() { return markers; }
    @Override public MDCAdapter getMDCAdapter() { return mdc; }
    @Override public String getRequestedApiVersion() { return "2.0.99"; }
}
