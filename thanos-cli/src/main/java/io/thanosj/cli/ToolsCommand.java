package io.thanosj.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code thanos tools}: utility commands for operating Thanos. */
@Command(name = "tools", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Tools utility commands.",
        subcommands = {io.thanosj.cli.tools.BucketCommand.class})
public final class ToolsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "expected a tools command: " + String.join(", ", spec.subcommands().keySet()));
    }
}
