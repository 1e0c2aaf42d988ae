package io.thanosj.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import org.slf4j.event.KeyValuePair;

/**
 * Thanos's log line in logfmt ({@code ts=... level=info caller=... msg="..." key=value}) or JSON,
 * including SLF4J key-value pairs, so log pipelines built for Thanos parse ours.
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
    private boolean json;

    public void setJson(boolean json) {
        this.json = json;
    }

    @Override
    public String doLayout(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(160);
        if (json) {
            sb.append('{');
        }
        field(sb, "ts", Instant.ofEpochMilli(e.getTimeStamp()).toString(), true);
        field(sb, "level", e.getLevel().toString().toLowerCase(), false);
        String logger = e.getLoggerName();
        field(sb, "caller", logger.substring(logger.lastIndexOf('.') + 1), false);
        field(sb, "msg", e.getFormattedMessage(), false);
        if (e.getKeyValuePairs() != null) {
            for (KeyValuePair kv : e.getKeyValuePairs()) {
                field(sb, kv.key, String.valueOf(kv.value), false);
            }
        }
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            field(sb, "err", t.getClassName() + ": " + t.getMessage(), false);
        }
        if (json) {
            sb.append('}');
        }
        return sb.append('\n').toString();
    }

    private void field(StringBuilder sb, String k, String v, boolean first) {
        if (json) {
            if (!first) {
                sb.append(',');
            }
            quoteJson(sb, k);
            sb.append(':');
            quoteJson(sb, v);
            return;
        }
        if (!first) {
            sb.append(' ');
        }
        sb.append(k).append('=');
        boolean quote = v.isEmpty();
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c <= ' ' || c == '=' || c == '"';
        }
        if (quote) {
            quoteJson(sb, v);
        } else {
            sb.append(v);
        }
    }

    private static void quoteJson(StringBuilder sb, String v) {
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
