package dev.presize.core.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.crac.CheckpointException;
import org.crac.Context;
import org.crac.Resource;
import org.crac.RestoreException;

/**
 * The CRaC hooks of Presize: an {@link org.crac.Context} that runs its resources' {@code beforeCheckpoint} in
 * reverse order of registration and their {@code afterRestore} in order of registration, running every hook even
 * when one fails and reporting every failure as a suppressed exception of one {@link CheckpointException} or
 * {@link RestoreException} (the contract of the JDK's own contexts).
 *
 * <p>Resources are held strongly (the JDK's global context holds them weakly, so a resource registered only there
 * can be collected before the checkpoint). Thread-safe.
 */
public final class CracHooks extends Context<Resource> {

  private final List<Resource> resources = new ArrayList<>();

  @Override
  public synchronized void register(Resource resource) {
    resources.add(java.util.Objects.requireNonNull(resource, "resource"));
  }

  /** Resources registered, in registration order. */
  public synchronized List<Resource> resources() {
    return List.copyOf(resources);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
    List<Resource> reversed = new ArrayList<>(resources());
    Collections.reverse(reversed);
    List<Throwable> failures = new ArrayList<>();
    for (Resource r : reversed) {
      try {
        r.beforeCheckpoint(this);
      } catch (CheckpointException e) {
        // A nested context reports its own hooks' failures as suppressed: flatten them.
        Collections.addAll(failures, e.getSuppressed().length == 0 ? new Throwable[] {e} : e.getSuppressed());
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      CheckpointException e = new CheckpointException();
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) throws RestoreException {
    List<Throwable> failures = new ArrayList<>();
    for (Resource r : resources()) {
      try {
        r.afterRestore(this);
      } catch (RestoreException e) {
        Collections.addAll(failures, e.getSuppressed().length == 0 ? new Throwable[] {e} : e.getSuppressed());
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      RestoreException e = new RestoreException();
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }
}
