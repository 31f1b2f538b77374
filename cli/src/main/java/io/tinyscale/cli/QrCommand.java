package io.tinyscale.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tinyscale qr CODE}: the short URL as a QR code, saved as a PNG or SVG file. */
final class QrCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "qr",
            new QrCommand(),
            new String[] {
              "Save one of your links' short URL as a QR code image.",
              "Written to CODE.png (or .svg) in this directory unless --output names another file."
            },
            "tinyscale qr hello",
            "tinyscale qr hello --format svg --output poster/hello.svg",
            "tinyscale qr hello --size 1024");
    spec.addPositional(Specs.parameter("CODE", "The link's code."));
    spec.addOption(
        Specs.option("--format", "FORMAT", String.class, "png or svg. Default: ${DEFAULT-VALUE}.")
            .defaultValue("png")
            .completionCandidates(List.of("png", "svg"))
            .build());
    spec.addOption(
        Specs.option(
                "--size",
                "PIXELS",
                int.class,
                "The image's width and height, 64 to 2048. Default: ${DEFAULT-VALUE}.")
            .defaultValue("256")
            .build());
    spec.addOption(
        Specs.option("--output", "FILE", String.class, "Where to write it. Default: CODE.FORMAT.")
            .build());
    return spec;
  }

  @Override
  public Integer call() {
    String code = parameter(0);
    String format = option("--format");
    if (!List.of("png", "svg").contains(format)) {
      throw usage("--format is png or svg, not '" + format + "'");
    }
    String output = option("--output");
    Api api = api();
    Http.Download image =
        api.download(
            Http.query(
                "/api/links/" + Http.segment(code) + "/qr",
                "format",
                format,
                "size",
                String.valueOf(this.<Integer>option("--size"))));
    api.expectOk(image.response());
    Path file = Path.of(output == null ? code + "." + format : output);
    try {
      Files.write(file, image.bytes());
    } catch (IOException e) {
      throw Failure.local("cannot write " + file + ": " + e.getMessage(), e);
    }
    if (json()) {
      out()
          .println(
              Json.write(
                  Json.object()
                      .put("code", code)
                      .put("file", file.toAbsolutePath().toString())
                      .put("bytes", image.bytes().length)));
    } else {
      out().println("wrote " + file);
    }
    return ExitCodes.OK;
  }
}
