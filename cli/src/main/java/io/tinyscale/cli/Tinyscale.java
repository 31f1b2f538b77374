package io.tinyscale.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/** The root command: the options every command shares, and how a server and API key are chosen. */
final class Tinyscale implements Callable<Integer> {
  static final String DEFAULT_SERVER = "http://localhost:8080";

  /**
   * Every command by name, in the order --help lists them. Only the one named on the command line
   * is set up (see {@link #commandLine}).
   */
  static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("shorten", ShortenCommand::spec);
    commands.put("links", LinksCommand::spec);
    commands.put("edit", EditCommand::spec);
    commands.put("qr", QrCommand::spec);
    commands.put("stats", StatsCommand::spec);
    commands.put("analytics", AnalyticsCommand::spec);
    commands.put("live", LiveCommand::spec);
    commands.put("delete", DeleteCommand::spec);
    commands.put("health", HealthCommand::spec);
    commands.put("register", RegisterCommand::spec);
    commands.put("login", LoginCommand::spec);
    commands.put("logout", LogoutCommand::spec);
    commands.put("keys", KeysCommand::spec);
    commands.put("dlt", DltCommand::spec);
    commands.put("completion", CompletionCommand::spec);
    commands.put("help", CommandLine.HelpCommand::new);
    return Collections.unmodifiableMap(commands);
  }

  private final CommandSpec spec;
  private final OptionSpec server =
      inherited(
          OptionSpec.builder("--server")
              .paramLabel("URL")
              .type(String.class)
              .description(
                  "The TinyScale server (default: $TINYSCALE_URL, else the server you logged in to, else "
                      + DEFAULT_SERVER
                      + ")."));
  private final OptionSpec apiKey =
      inherited(
          OptionSpec.builder("--api-key")
              .paramLabel("KEY")
              .type(String.class)
              .description(
                  "The API key (default: $TINYSCALE_API_KEY, else the key stored by login/register)."));
  private final OptionSpec json =
      inherited(
          OptionSpec.builder("--json")
              .arity("0")
              .type(boolean.class)
              .defaultValue("false")
              .description(
                  "Print the server's JSON answer instead of text (errors too, on stdout)."));
  private final Environment env;
  private final List<Http> opened = new ArrayList<>();
  private Config config;

  Tinyscale(Environment env) {
    this.env = env;
    spec =
        CommandSpec.wrapWithoutInspection(this)
            .name("tinyscale")
            .version("tinyscale CLI " + Version.number() + " (Java " + Runtime.version() + ")");
    spec.usageMessage()
        .description("The command-line client of TinyScale, the self-hosted URL shortener.")
        .synopsisSubcommandLabel("COMMAND")
        .commandListHeading("%nCommands:%n")
        .footerHeading("%nEnvironment:%n")
        .footer(
            "  TINYSCALE_URL      the server when --server is not given; else the server",
            "                     you logged in to, else " + DEFAULT_SERVER,
            "  TINYSCALE_API_KEY  the API key when --api-key is not given; else the key",
            "                     stored by login/register (sent only to its own server)",
            "  XDG_CONFIG_HOME    the stored key is in $XDG_CONFIG_HOME/tinyscale/config",
            "                     (default ~/.config/tinyscale/config, mode 0600)",
            "",
            "Examples:",
            "  tinyscale register --email me@example.com",
            "  tinyscale shorten https://example.com/a/long/path --alias hi --expires 7d",
            "  tinyscale links --page 2",
            "  tinyscale stats hi --json | jq .totalClicks",
            "  tinyscale health --server https://sho.rt && echo ready",
            "  source <(tinyscale completion bash)",
            "",
            "Run 'tinyscale COMMAND --help' for a command's options and examples.");
    Specs.addHelpOptions(spec);
    spec.addOption(server);
    spec.addOption(apiKey);
    spec.addOption(json);
  }

  /** An option of the root that every command accepts too, before or after its name. */
  private static OptionSpec inherited(OptionSpec.Builder option) {
    return option.scopeType(ScopeType.INHERIT).build();
  }

  /**
   * The command line for these arguments. Only the command they name is set up, since a model costs
   * start-up time even built in code ({@link Specs}); every command is when none is named, or for
   * help and completion, which list them all.
   */
  static CommandLine commandLine(Environment env, String... args) {
    Tinyscale root = new Tinyscale(env);
    CommandLine cli = new CommandLine(root.spec);
    String invoked = invoked(args);
    COMMANDS.forEach(
        (name, command) -> {
          if (invoked == null || invoked.equals(name)) {
            cli.addSubcommand(name, command.get());
          }
        });
    cli.setOut(env.out());
    cli.setErr(env.err());
    cli.setParameterExceptionHandler(Tinyscale::usageError);
    cli.setExecutionExceptionHandler((e, command, parsed) -> failed(e, command, env));
    everyCommand(
        cli,
        c ->
            c.getCommandSpec()
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.forHelp()));
    return cli;
  }

  /** The command the arguments name, if only that one is needed; else null. */
  static String invoked(String... args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--server") || arg.equals("--api-key")) {
        i++; // its value
      } else if (!arg.startsWith("--server=")
          && !arg.startsWith("--api-key=")
          && !arg.equals("--json")) {
        boolean listsAll = arg.startsWith("-") || arg.equals("help") || arg.equals("completion");
        return listsAll || !COMMANDS.containsKey(arg) ? null : arg;
      }
    }
    return null;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(env.err());
    return ExitCodes.USAGE;
  }

  Environment env() {
    return env;
  }

  boolean json() {
    return Boolean.TRUE.equals(json.getValue());
  }

  Config config() {
    if (config == null) {
      config = Config.of(env);
    }
    return config;
  }

  /** --server, else TINYSCALE_URL, else the stored login's server, else the default. */
  URI server(CommandLine command) {
    String server = this.server.getValue();
    if (server != null) {
      return parseServer(server, "--server", command);
    }
    Optional<String> fromEnv = env.var("TINYSCALE_URL");
    if (fromEnv.isPresent()) {
      return parseServer(fromEnv.get(), "TINYSCALE_URL", command);
    }
    return config()
        .load()
        .map(login -> parseServer(login.server(), "the server in " + config().file(), command))
        .orElseGet(() -> URI.create(DEFAULT_SERVER));
  }

  /**
   * The API of the chosen server with --api-key, else TINYSCALE_API_KEY, else the key stored for
   * that server.
   */
  Api api(CommandLine command) {
    URI uri = server(command);
    Http http = http(uri);
    String apiKey = this.apiKey.getValue();
    if (apiKey != null) {
      if (apiKey.isBlank()) {
        throw new ParameterException(command, "--api-key is empty");
      }
      return new Api(http, apiKey.strip(), "--api-key");
    }
    Optional<String> fromEnv = env.var("TINYSCALE_API_KEY");
    if (fromEnv.isPresent()) {
      return new Api(http, fromEnv.get().strip(), "TINYSCALE_API_KEY");
    }
    return config()
        .load()
        .filter(login -> sameServer(login.server(), uri))
        .map(login -> new Api(http, login.apiKey(), config().file().toString()))
        .orElseGet(() -> new Api(http, null, null));
  }

  /** A connection to the server, closed by {@link #close()}. */
  Http http(URI server) {
    Http http = new Http(server, "tinyscale-cli/" + Version.number());
    opened.add(http);
    return http;
  }

  /** Closes the connections, so that the JVM exits at once. */
  void close() {
    opened.forEach(Http::close);
  }

  static URI parseServer(String text, String source, CommandLine command) {
    String trimmed = text.strip().replaceAll("/+$", "");
    try {
      URI uri = new URI(trimmed);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getQuery() == null
          && uri.getFragment() == null
          && uri.getUserInfo() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    throw new ParameterException(
        command,
        source
            + " must be an http:// or https:// URL such as "
            + DEFAULT_SERVER
            + ", not '"
            + text
            + "'");
  }

  static boolean sameServer(String stored, URI server) {
    return stored.strip().replaceAll("/+$", "").equalsIgnoreCase(server.toString());
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("tinyscale: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for its usage.");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static int failed(Exception e, CommandLine command, Environment env) {
    Tinyscale root = (Tinyscale) command.getCommandSpec().root().userObject();
    if (e instanceof Failure f) {
      if (root.json() && f.json() != null && !f.json().isBlank()) {
        env.out().println(f.json().strip());
        env.out().flush();
      }
      env.err().println("tinyscale: " + f.getMessage());
      env.err().flush();
      return f.exitCode();
    }
    env.err().println("tinyscale: unexpected error, please report it: " + e);
    if (env.var("TINYSCALE_DEBUG").isPresent()) {
      e.printStackTrace(env.err());
    }
    env.err().flush();
    return ExitCodes.REFUSED;
  }

  private static void everyCommand(CommandLine command, Consumer<CommandLine> action) {
    action.accept(command);
    command.getSubcommands().values().forEach(sub -> everyCommand(sub, action));
  }

  /** The version in the jar's manifest ("dev" when run from classes, as in the unit tests). */
  static final class Version {
    private Version() {}

    static String number() {
      String version = Tinyscale.class.getPackage().getImplementationVersion();
      return version == null ? "dev" : version;
    }
  }
}
