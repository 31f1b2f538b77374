package io.tinyscale.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's model of each command, built in code. Annotations would do the same, but picocli reads
 * them by reflection and the JDK makes a proxy class per annotation type at run time, which no
 * class-data archive can keep: about 130 ms of every run on this machine (docs/benchmarks.md, "CLI
 * start-up"). Values are read back from the model, see {@link Base}.
 */
final class Specs {
  private Specs() {}

  /** A command run by {@code command}, with its help text and examples. */
  static CommandSpec command(String name, Base command, String[] description, String... examples) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
    spec.usageMessage().description(description);
    if (examples.length > 0) {
      spec.usageMessage()
          .footerHeading("%nExamples:%n")
          .footer(Arrays.stream(examples).map(e -> "  " + e).toArray(String[]::new));
    }
    addHelpOptions(spec);
    command.spec = spec;
    return spec;
  }

  /** -h/--help and -V/--version, on each command (picocli's help command has its own -h). */
  static void addHelpOptions(CommandSpec spec) {
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .description("Show this help message and exit.")
            .build());
    spec.addOption(
        OptionSpec.builder("-V", "--version")
            .versionHelp(true)
            .description("Print version information and exit.")
            .build());
  }

  static OptionSpec.Builder option(String name, String label, Class<?> type, String description) {
    return OptionSpec.builder(name).paramLabel(label).type(type).description(description);
  }

  /** An option without a value: true when given. */
  static OptionSpec flag(String name, String description) {
    return OptionSpec.builder(name)
        .arity("0")
        .type(boolean.class)
        .defaultValue("false")
        .description(description)
        .build();
  }

  /** {@code --expires WHEN}: a time from now becomes an instant here ({@link Expiry}). */
  static OptionSpec expires(String description) {
    return option("--expires", "WHEN", String.class, description).converters(new Expiry()).build();
  }

  /** {@code --redirect-type STATUS}, completed with the four the server takes. */
  static OptionSpec redirectType(String description) {
    return option("--redirect-type", "STATUS", Integer.class, description)
        .completionCandidates(List.of("301", "302", "307", "308"))
        .build();
  }

  /** A link's code that may be left out, meaning all the user's links. */
  static PositionalParamSpec optionalCode() {
    return PositionalParamSpec.builder()
        .paramLabel("CODE")
        .type(String.class)
        .arity("0..1")
        .description("A link's code; without one, all your links.")
        .build();
  }

  static PositionalParamSpec parameter(String label, String description) {
    return PositionalParamSpec.builder()
        .paramLabel(label)
        .type(String.class)
        .arity("1")
        .required(true)
        .description(description)
        .build();
  }
}
