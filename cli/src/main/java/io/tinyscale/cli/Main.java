package io.tinyscale.cli;

import picocli.CommandLine;

/** {@code tinyscale}: the command-line client. Exit codes are {@link ExitCodes}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Environment env = Environment.system();
    CommandLine cli = Tinyscale.commandLine(env, args);
    int status = cli.execute(args);
    ((Tinyscale) cli.getCommand()).close();
    env.out().flush();
    env.err().flush();
    // exit, not halt: a run that records a class-data archive or AOT cache writes it at exit
    System.exit(status);
  }
}
