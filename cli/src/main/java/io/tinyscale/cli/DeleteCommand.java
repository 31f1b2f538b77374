package io.tinyscale.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete one of your links.",
      "Its short URL answers 404 from then on; the code is never given to another link."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  tinyscale delete hello"})
final class DeleteCommand extends Base {
  @Parameters(paramLabel = "CODE", description = "The link's code.")
  String code;

  @Override
  public Integer call() {
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
