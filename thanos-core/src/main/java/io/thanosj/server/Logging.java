package io.thanosj.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.thanosj.model.ThanosException;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Applies {@code --log.level} and {@code --log.format} to Logback; logs go to stderr. */
public final class Logging {
    private Logging() {}

    public static void configure(String level, String format) {
        Level lvl = switch (level.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> throw ThanosException.badData("invalid --log.level \"" + level + "\": want one of debug, info, warn, error");
        };
        boolean json = switch (format.toLowerCase(Locale.ROOT)) {
            case "logfmt" -> false;
            case "json" -> true;
            default -> throw ThanosException.badData("invalid --log.format \"" + format + "\": want logfmt or json");
        };
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        ctx.reset();
        LogfmtLayout layout = new LogfmtLayout();
        layout.setJson(json);
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
        enc.setLayout(layout);
        enc.setContext(ctx);
        enc.start();
        ConsoleAppender<ILoggingEvent> app = new ConsoleAppender<>();
        app.setTarget("System.err");
        app.setEncoder(enc);
        app.setContext(ctx);
        app.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(app);
        root.setLevel(lvl);
        // Libraries log their internals at info; keep them to warnings unless debugging.
        Level libs = lvl == Level.DEBUG ? Level.INFO : Level.WARN;
        for (String lib : new String[] {"io.netty", "io.grpc", "software.amazon", "com.azure", "com.google", "org.apache.http", "reactor"}) {
            ctx.getLogger(lib).setLevel(libs);
        }
    }
}
