package io.drydock.shell.log;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * One log line as {@code HH:mm:ss.SSS LEVEL logger - message} (the logger abbreviated to 30 characters as
 * logback's {@code %logger{30}} does), then the stack trace if there is one. Written out rather than as a
 * logback pattern: compiling a pattern loads a parser and a converter class per keyword at every start,
 * and scripts/run, which rarely logs at all, should not pay for that.
 */
public final class CompactLayout extends LayoutBase<ILoggingEvent> {
    private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(30);

    @Override public String doLayout(ILoggingEvent event) {
        LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), ZoneId.systemDefault());
        StringBuilder sb = new StringBuilder(128);
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond()).append('.');
        int ms = t.getNano() / 1_000_000;
        if (ms < 100) sb.append('0');
        two(sb, ms).append(' ');
        String level = event.getLevel().toString();
        sb.append(level).append(" ".repeat(Math.max(0, 5 - level.length()))).append(' ');
        sb.append(abbreviator.abbreviate(event.getLoggerName())).append(" - ").append(event.getFormattedMessage());
        sb.append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy tp = event.getThrowableProxy();
        if (tp != null) sb.append(ThrowableProxyUtil.asString(tp)).append(CoreConstants.LINE_SEPARATOR);
        return sb.toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        if (v < 10) sb.append('0');
        return sb.append(v);
    }
}
