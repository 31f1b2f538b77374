package io.tinyscale.app.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.app.DevStackTestResource;
import io.tinyscale.app.UserWithALink;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** A link's QR code, read back by a real decoder. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class QrTest extends UserWithALink {
  @Test
  void thePngDecodesToTheShortUrl() throws Exception {
    Api.Bytes png = api.getBytes("/api/links/" + code + "/qr?format=png&size=300", user.auth());
    assertThat(png.status()).isEqualTo(200);
    assertThat(png.header("Content-Type")).isEqualTo("image/png");
    assertThat(png.header("Cache-Control")).isEqualTo("private, max-age=86400");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
    assertThat(image.getWidth()).isEqualTo(300);
    String decoded =
        new QRCodeReader()
            .decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
            .getText();
    assertThat(decoded).isEqualTo("http://short.test/" + code);
  }

  @Test
  void theSvgIsAnImageOfTheAskedSize() throws Exception {
    Api.Bytes svg = api.getBytes("/api/links/" + code + "/qr?size=128&margin=2&ecc=h", user.auth());
    assertThat(svg.status()).isEqualTo(200);
    assertThat(svg.header("Content-Type")).isEqualTo("image/svg+xml");
    Element root =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.body()))
            .getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("svg");
    assertThat(root.getAttribute("width")).isEqualTo("128");
    // version 2 or more with level H: at least 25 modules, plus the margin of 2 on each side
    int modules = Integer.parseInt(root.getAttribute("viewBox").split(" ")[2]);
    assertThat(modules).isGreaterThanOrEqualTo(25 + 4);
  }

  @Test
  void anotherAccountsLinkAndBadParametersAreRefused() {
    User other = api.register();
    assertThat(api.get("/api/links/" + code + "/qr", other.auth()).status()).isEqualTo(404);
    assertThat(api.get("/api/links/" + code + "/qr").status()).isEqualTo(401);
    for (String query : new String[] {"format=gif", "size=10", "size=big", "margin=99", "ecc=X"}) {
      Res res = api.get("/api/links/" + code + "/qr?" + query, user.auth());
      assertThat(res.status()).as(query).isEqualTo(400);
      assertThat(res.contentType()).as(query).startsWith("application/problem+json");
    }
  }
}
