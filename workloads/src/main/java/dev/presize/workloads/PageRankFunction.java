package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A breadth-first search and 30 PageRank iterations over a generated directed graph of {@code size} vertices
 * (about 8 out-edges each, skewed towards low-numbered vertices); checkpointable between iterations (the state is
 * the rank vector).
 */
public final class PageRankFunction extends SteppedFunction {
  static final String NAME = "graph-pagerank";
  static final int ITERATIONS = 30;
  static final double DAMPING = 0.85;
  static final int MAX_SIZE = 20_000_000;

  @Override
  String name() {
    return NAME;
  }

  @Override
  int stateVersion() {
    return 1;
  }

  @Override
  long maxSize() {
    return MAX_SIZE;
  }

  @Override
  String run(Request request, CheckpointHeader header, DataInputStream resume) throws Exception {
    int n = request.intSize();
    Graph graph = Graph.generate(request.seed(), n);
    int[] bfs = graph.bfs(0);

    double[] rank = new double[n];
    double[] next = new double[n];
    int iteration = 0;
    if (resume != null) {
      iteration = Math.toIntExact(header.step());
      if (iteration > ITERATIONS) {
        throw new IllegalArgumentException("corrupt snapshot: iteration " + iteration + " > " + ITERATIONS);
      }
      readDoubles(resume, rank, 0, n);
    } else {
      Arrays.fill(rank, 1.0 / n);
    }
    while (iteration < ITERATIONS) {
      Arrays.fill(next, (1 - DAMPING) / n);
      for (int u = 0; u < n; u++) {
        int from = graph.offsets[u];
        int to = graph.offsets[u + 1];
        double share = DAMPING * rank[u] / (to - from);
        for (int e = from; e < to; e++) {
          next[graph.targets[e]] += share;
        }
      }
      double[] swap = rank;
      rank = next;
      next = swap;
      iteration++;
      int done = iteration;
      double[] ranks = rank;
      gate.boundary(out -> writeState(out, request, done, ranks));
    }
    double[] ranks = rank;
    gate.finish(out -> writeState(out, request, ITERATIONS, ranks));

    double sum = 0;
    for (double r : rank) {
      sum += r;
    }
    ObjectNode response = Json.response(NAME, request);
    response.put("vertices", n);
    response.put("edges", graph.targets.length);
    response.put("reachableFrom0", bfs[0]);
    response.put("bfsDepth", bfs[1]);
    response.put("iterations", ITERATIONS);
    response.put("rankSum", sum);
    ArrayNode top = response.putArray("top");
    for (int v : topVertices(rank, 5)) {
      top.addObject().put("vertex", v).put("rank", rank[v]);
    }
    response.put("sha256", sha256OfDoubles(rank));
    return Json.write(response);
  }

  private static int[] topVertices(double[] rank, int k) {
    int[] best = new int[Math.min(k, rank.length)];
    Arrays.fill(best, -1);
    for (int v = 0; v < rank.length; v++) {
      for (int i = 0; i < best.length; i++) {
        if (best[i] < 0 || rank[v] > rank[best[i]]) {
          System.arraycopy(best, i, best, i + 1, best.length - i - 1);
          best[i] = v;
          break;
        }
      }
    }
    return best;
  }

  private static void writeState(DataOutputStream out, Request request, int iteration, double[] rank)
      throws IOException {
    CheckpointHeader.of(NAME, 1, request, iteration).write(out);
    writeDoubles(out, rank, 0, rank.length);
  }

  /** A directed graph in compressed sparse row form; every vertex has at least one out-edge. */
  static final class Graph {
    final int[] offsets;
    final int[] targets;

    private Graph(int[] offsets, int[] targets) {
      this.offsets = offsets;
      this.targets = targets;
    }

    static Graph generate(long seed, int n) {
      Rng rng = Rng.derived(seed, 7);
      int[] offsets = new int[n + 1];
      for (int u = 0; u < n; u++) {
        offsets[u + 1] = offsets[u] + 1 + rng.nextInt(15);
      }
      int[] targets = new int[offsets[n]];
      for (int e = 0; e < targets.length; e++) {
        targets[e] = rng.nextInt(2) == 0 ? rng.nextSkewed(n) : rng.nextInt(n);
      }
      return new Graph(offsets, targets);
    }

    /** Breadth-first search from {@code source}: {reachable vertices, depth of the deepest one}. */
    int[] bfs(int source) {
      int n = offsets.length - 1;
      int[] depth = new int[n];
      Arrays.fill(depth, -1);
      int[] queue = new int[n];
      int head = 0;
      int tail = 0;
      queue[tail++] = source;
      depth[source] = 0;
      int maxDepth = 0;
      while (head < tail) {
        int u = queue[head++];
        for (int e = offsets[u]; e < offsets[u + 1]; e++) {
          int v = targets[e];
          if (depth[v] < 0) {
            depth[v] = depth[u] + 1;
            maxDepth = Math.max(maxDepth, depth[v]);
            queue[tail++] = v;
          }
        }
      }
      return new int[] {tail, maxDepth};
    }
  }
}
