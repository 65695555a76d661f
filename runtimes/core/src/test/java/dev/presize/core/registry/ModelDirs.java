package dev.presize.core.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Writes small but well-formed {@code presize-model/1} directories for registry tests. */
public final class ModelDirs {

  private ModelDirs() {}

  /** A model directory with metadata.json, memory.json and cpu.json (about {@code modelBytes} each) and SHA256SUMS. */
  public static Path write(Path dir, String seed, int modelBytes) throws IOException {
    Files.createDirectories(dir);
    String metadata = """
        {
          "format": "presize-model/1",
          "name": "%s",
          "createdAt": "2026-11-24T04:00:00Z",
          "featureSchema": { "id": "presize-features/1-1ac1181f", "names": ["cpu.level", "memory.level"] },
          "quantiles": [0.5, 0.9, 0.99],
          "stepMillis": 300000,
          "horizonSteps": 1,
          "targets": {
            "memory": { "target": "MEMORY_PEAK", "resource": "MEMORY", "unit": "bytes", "model": "memory.json" },
            "cpu": { "target": "CPU_MEAN", "resource": "CPU", "unit": "cores", "model": "cpu.json" }
          },
          "training": { "seed": "%s" }
        }
        """.formatted("test-" + seed.replace('"', '_'), seed.replace('"', '_'));
    Files.writeString(dir.resolve("metadata.json"), metadata);
    Random r = new Random(seed.hashCode());
    for (String target : new String[] {"memory", "cpu"}) {
      StringBuilder sb = new StringBuilder("{\"learner\":{\"seed\":\"" + seed + "\",\"trees\":[");
      while (sb.length() < modelBytes) {
        sb.append(r.nextDouble()).append(',');
      }
      sb.append("0]}}");
      Files.write(dir.resolve(target + ".json"), sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    ModelChecksums.write(dir);
    return dir;
  }

  /** Flips one bit of one byte in the middle of a file. */
  public static void flipByte(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x01;
    Files.write(file, b);
  }
}
