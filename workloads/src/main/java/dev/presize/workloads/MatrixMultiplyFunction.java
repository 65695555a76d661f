package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A dense matrix multiply {@code C = A x B} of two generated {@code n x n} matrices ({@code size} = n), computed
 * in blocks of rows; checkpointable between blocks (the state is the rows of C done so far).
 */
public final class MatrixMultiplyFunction extends SteppedFunction {
  static final String NAME = "matrix-multiply";
  static final int ROWS_PER_STEP = 8;
  static final int MAX_SIZE = 4096;

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
    double[] a = matrix(request.seed(), 1, n);
    double[] b = matrix(request.seed(), 2, n);
    double[] c = new double[n * n];
    int row = 0;
    if (resume != null) {
      row = Math.toIntExact(header.step());
      if (row > n) {
        throw new IllegalArgumentException("corrupt snapshot: next row " + row + " > n " + n);
      }
      readDoubles(resume, c, 0, row * n);
    }
    while (row < n) {
      int end = Math.min(n, row + ROWS_PER_STEP);
      for (int i = row; i < end; i++) {
        int ci = i * n;
        for (int k = 0; k < n; k++) {
          double aik = a[ci + k];
          int bk = k * n;
          for (int j = 0; j < n; j++) {
            c[ci + j] += aik * b[bk + j];
          }
        }
      }
      row = end;
      int done = row;
      gate.boundary(out -> writeState(out, request, done, c, n));
    }
    gate.finish(out -> writeState(out, request, n, c, n));

    double sum = 0;
    double squares = 0;
    double trace = 0;
    for (int i = 0; i < c.length; i++) {
      sum += c[i];
      squares += c[i] * c[i];
    }
    for (int i = 0; i < n; i++) {
      trace += c[i * n + i];
    }
    ObjectNode response = Json.response(NAME, request);
    response.put("n", n);
    response.put("sum", sum);
    response.put("trace", trace);
    response.put("frobenius", Math.sqrt(squares));
    response.put("sha256", sha256OfDoubles(c));
    return Json.write(response);
  }

  /** Generated matrix {@code which} for {@code seed}, row-major, entries uniform in [-1, 1). */
  static double[] matrix(long seed, int which, int n) {
    Rng rng = Rng.derived(seed, which);
    double[] m = new double[n * n];
    for (int i = 0; i < m.length; i++) {
      m[i] = rng.nextDouble() * 2 - 1;
    }
    return m;
  }

  private static void writeState(DataOutputStream out, Request request, int nextRow, double[] c, int n)
      throws IOException {
    CheckpointHeader.of(NAME, 1, request, nextRow).write(out);
    writeDoubles(out, c, 0, nextRow * n);
  }
}
