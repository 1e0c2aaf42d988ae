package io.thanosj.cli;

import io.thanosj.compact.CompactCommand;
import io.thanosj.frontend.QueryFrontendCommand;
import io.thanosj.model.ThanosException;
import io.thanosj.query.QueryCommand;
import io.thanosj.receive.ReceiveCommand;
import io.thanosj.rule.RuleCommand;
import io.thanosj.server.Version;
import io.thanosj.sidecar.SidecarCommand;
import io.thanosj.store.StoreCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The launcher: {@code java -jar thanos.jar COMPONENT [flags]}. */
@Command(name = "thanos", mixinStandardHelpOptions = true, versionProvider = Thanos.VersionProvider.class,
        description = "A block storage based long-term storage for Prometheus.",
        subcommands = {SidecarCommand.class, QueryCommand.class, StoreCommand.class, ReceiveCommand.class,
            RuleCommand.class, CompactCommand.class, QueryFrontendCommand.class, ToolsCommand.class})
public final class Thanos implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line: one-line errors for users, exit codes from {@link ThanosException}. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Thanos());
        cl.setExecutionExceptionHandler(Thanos::handleExecutionException);
        cl.setParameterExceptionHandler(Thanos::handleParameterException);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "expected a command: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable t = e;
        while (!(t instanceof ThanosException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof ThanosException te) {
            err.println("error: " + oneLine(te.getMessage()));
            err.flush();
            return te.code().exitCode();
        }
        err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage()))
                + " (run with --log.level=debug for details)");
        if (Boolean.getBoolean("thanosj.debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + oneLine(e.getMessage()));
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return 2;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"thanos, version " + Version.VERSION + " (revision: " + Version.REVISION + ")",
                "  java version: " + System.getProperty("java.version")};
        }
    }
}
