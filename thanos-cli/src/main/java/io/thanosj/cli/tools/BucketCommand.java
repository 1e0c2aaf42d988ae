package io.thanosj.cli.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code thanos tools bucket}: bucket utility commands. */
@Command(name = "bucket", mixinStandardHelpOptions = true, description = "Bucket utility commands.",
        subcommands = {BucketLsCommand.class, BucketInspectCommand.class, BucketVerifyCommand.class, BucketRewriteCommand.class})
public final class BucketCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "expected a bucket command: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
