package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * An image thumbnailer: generates a {@code size x size} pixel picture, encodes it as the PNG a client would
 * upload, decodes it, and writes JPEG thumbnails 320, 160 and 64 pixels wide (java.awt and ImageIO, headless).
 */
public final class ImageThumbnailFunction implements PresizeFunction {
  static final String NAME = "image-thumbnail";
  static final int[] WIDTHS = {320, 160, 64};
  static final int MAX_SIZE = 8192;

  @Override
  public String invoke(String requestJson) throws IOException {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    int side = request.intSize();
    byte[] png = encode(generate(side, request.seed()), "png");
    BufferedImage source = ImageIO.read(new ByteArrayInputStream(png));
    if (source == null) {
      throw new IOException("ImageIO could not decode the PNG it wrote (" + png.length + " bytes)");
    }
    ObjectNode response = Json.response(NAME, request);
    response.put("sourcePngBytes", png.length);
    response.put("sourceSha256", Json.sha256Hex(png));
    ArrayNode thumbnails = response.putArray("thumbnails");
    for (int width : WIDTHS) {
      BufferedImage thumbnail = scale(source, width);
      byte[] jpeg = encode(thumbnail, "jpg");
      thumbnails.addObject()
          .put("width", thumbnail.getWidth())
          .put("height", thumbnail.getHeight())
          .put("jpegBytes", jpeg.length)
          .put("sha256", Json.sha256Hex(jpeg));
    }
    return Json.write(response);
  }

  /** A picture with a smooth gradient, noise and shapes, so it compresses like a photo-ish image. */
  static BufferedImage generate(int side, long seed) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Rng rng = Rng.derived(seed, 11);
    int[] row = new int[side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int r = (x * 255 / side + (int) (rng.nextLong() & 15)) & 0xff;
        int g = (y * 255 / side + (int) (rng.nextLong() & 15)) & 0xff;
        int b = ((x + y) * 127 / side) & 0xff;
        row[x] = (r << 16) | (g << 8) | b;
      }
      image.setRGB(0, y, side, 1, row, 0, side);
    }
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      for (int i = 0; i < 40; i++) {
        g.setColor(new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256), 160));
        int w = 1 + rng.nextInt(Math.max(1, side / 3));
        int h = 1 + rng.nextInt(Math.max(1, side / 3));
        if (i % 2 == 0) {
          g.fillOval(rng.nextInt(side), rng.nextInt(side), w, h);
        } else {
          g.fillRect(rng.nextInt(side), rng.nextInt(side), w, h);
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Scales to {@code width} keeping the aspect ratio, halving step by step first for quality. */
  static BufferedImage scale(BufferedImage source, int width) {
    BufferedImage current = source;
    while (current.getWidth() / 2 >= width) {
      current = resize(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    int height = Math.max(1, (int) ((long) source.getHeight() * width / source.getWidth()));
    return resize(current, width, height);
  }

  private static BufferedImage resize(BufferedImage image, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, format, out)) {
      throw new IOException("no ImageIO writer for " + format);
    }
    return out.toByteArray();
  }
}
