package io.tinyscale.cli;

import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

final class CompletionCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "completion",
            new CompletionCommand(),
            new String[] {
              "Print the shell completion script (bash, zsh).",
              "zsh runs the same script through bashcompinit (the script enables it)."
            },
            "source <(tinyscale completion bash)        # this shell only",
            "tinyscale completion bash \\\\",
            "  > ~/.local/share/bash-completion/completions/tinyscale",
            "echo 'source <(tinyscale completion zsh)' >> ~/.zshrc");
    spec.addPositional(
        PositionalParamSpec.builder()
            .paramLabel("SHELL")
            .type(String.class)
            .arity("0..1")
            .defaultValue("bash")
            .completionCandidates(List.of("bash", "zsh"))
            .description("bash or zsh. Default: ${DEFAULT-VALUE}.")
            .build());
    return spec;
  }

  @Override
  public Integer call() {
    String shell = parameter(0);
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw usage("completion scripts are for bash and zsh, not '" + shell + "'");
    }
    out().print(AutoComplete.bash("tinyscale", spec.root().commandLine()));
    return ExitCodes.OK;
  }
}
