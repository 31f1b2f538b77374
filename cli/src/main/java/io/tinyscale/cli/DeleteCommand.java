package io.tinyscale.cli;

import picocli.CommandLine.Model.CommandSpec;

final class DeleteCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "delete",
            new DeleteCommand(),
            new String[] {
              "Delete one of your links.",
              "Its short URL answers 404 from then on; the code is never given to another link."
            },
            "tinyscale delete hello");
    spec.addPositional(Specs.parameter("CODE", "The link's code."));
    return spec;
  }

  @Override
  public Integer call() {
    String code = parameter(0);
    api().call("DELETE", "/api/links/" + Http.segment(code), null);
    if (json()) {
      // the server answers 204 without a body; scripts still get a JSON line
      out().println(Json.write(Json.object().put("code", code).put("deleted", true)));
    } else {
      out().println("deleted " + code);
    }
    return ExitCodes.OK;
  }
}
