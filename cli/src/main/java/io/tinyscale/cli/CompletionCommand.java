package io.tinyscale.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print the shell completion script (bash, zsh).",
      "zsh runs the same script through bashcompinit (the script enables it)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  source <(tinyscale completion bash)        # this shell only",
      "  tinyscale completion bash \\",
      "    > ~/.local/share/bash-completion/completions/tinyscale",
      "  echo 'source <(tinyscale completion zsh)' >> ~/.zshrc"
    })
final class CompletionCommand extends Base {
  enum Shell { bash, zsh }

  @Parameters(paramLabel = "SHELL", defaultValue = "bash", description = "bash or zsh. Default: ${DEFAULT-VALUE}.")
  Shell shell;

  @Override
  public Integer call() {
    out().print(AutoComplete.bash("tinyscale", spec.root().commandLine()));
    return ExitCodes.OK;
  }
}
