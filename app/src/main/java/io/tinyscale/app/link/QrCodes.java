package io.tinyscale.app.link;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.imageio.ImageIO;

/** QR codes of short URLs, drawn by ZXing: an SVG that scales, or a PNG of a given size. */
final class QrCodes {
  private QrCodes() {}

  /** {@code margin}: the quiet zone around the code, in modules (the standard asks for 4). */
  record Style(int size, int margin, ErrorCorrectionLevel ecc) {}

  /** An SVG of {@code style.size()} pixels, one square path of the dark modules. */
  static byte[] svg(String text, Style style) {
    BitMatrix modules = encode(text, 0, style); // one pixel per module
    int width = modules.getWidth();
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < modules.getHeight(); y++) {
      for (int x = 0; x < width; x++) {
        if (modules.get(x, y)) {
          path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
        }
      }
    }
    String svg =
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" \
        shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/>\
        <path fill="#000" d="%s"/></svg>
        """
            .formatted(style.size(), style.size(), width, modules.getHeight(), path);
    return svg.getBytes(StandardCharsets.UTF_8);
  }

  /** A black-on-white PNG of {@code style.size()} × {@code style.size()} pixels. */
  static byte[] png(String text, Style style) {
    BitMatrix modules = encode(text, style.size(), style);
    BufferedImage image =
        new BufferedImage(modules.getWidth(), modules.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < modules.getHeight(); y++) {
      for (int x = 0; x < modules.getWidth(); x++) {
        image.setRGB(x, y, modules.get(x, y) ? 0x000000 : 0xffffff);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static BitMatrix encode(String text, int pixels, Style style) {
    try {
      return new QRCodeWriter()
          .encode(
              text,
              BarcodeFormat.QR_CODE,
              pixels,
              pixels,
              Map.of(
                  EncodeHintType.ERROR_CORRECTION, style.ecc(),
                  EncodeHintType.MARGIN, style.margin(),
                  EncodeHintType.CHARACTER_SET, "UTF-8"));
    } catch (WriterException e) { // a short URL always fits a QR code
      throw new IllegalStateException("cannot encode " + text + " as a QR code", e);
    }
  }
}
