package dev.gatehouse.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two phases of applying a stack ({@link StackApplier}): while the resources are walked, changes to what exists
 * are only planned ({@link #ensure}) and queued ({@link #commit}); {@link #commitAll} then refuses the whole apply
 * when any planned change needs a replacement, and otherwise runs the queue in order. So a refused template changes
 * nothing that runs.
 */
final class StackChanges {

    private static final Logger LOG = LoggerFactory.getLogger(StackChanges.class);

    private final PhysicalIds ids;
    private final List<StackPlan.Refusal> refusals = new ArrayList<>();
    /** The second phase: what changes running resources, by logical id. */
    private final List<Map.Entry<String, Runnable>> commits = new ArrayList<>();

    StackChanges(PhysicalIds ids) {
        this.ids = ids;
    }

    /** Decides a changed resource's update from the settings applied before (its own when they were not kept). */
    interface Planner {
        StackPlan.Change plan(String id, ObjectNode before);
    }

    /** Applies a planned change to the resource {@code id}. */
    interface Updater {
        void update(String id, StackPlan.Change change);
    }

    /**
     * Creates the resource on first apply (recording its settings); later, when its settings changed, plans the update:
     * a refusal stops the apply before anything changes, else the update runs in the second phase and the new
     * settings are recorded.
     */
    String ensure(String logicalId, ObjectNode settings, Supplier<String> create, Planner planner, Updater updater) {
        String text = settings.toString();
        String digest = StackApplier.digest(text);
        PhysicalIds.Recorded recorded = ids.ensure(logicalId, digest, text, create);
        if (recorded.digest().equals(digest) && !recorded.settings().isEmpty()) {
            return recorded.id();
        }
        String id = recorded.id();
        PhysicalIds.Recorded now = new PhysicalIds.Recorded(id, digest, text);
        if (recorded.digest().isEmpty() || recorded.digest().equals(digest)) {
            // Recorded without its settings (a generated name, or a data dir of an older Gatehouse): keep them now.
            commit(logicalId, () -> ids.update(logicalId, now));
            return id;
        }
        // Changed. Settings not kept before stand in for themselves: nothing is refused, the resource gets the new
        // ones.
        ObjectNode before = recorded.settings().isEmpty() ? settings : settings(recorded.settings());
        StackPlan.Change change = planner.plan(id, before);
        if (!change.refusals().isEmpty()) {
            refusals.addAll(change.refusals());
            return id;
        }
        commit(logicalId, () -> {
            updater.update(id, change);
            ids.update(logicalId, now);
            LOG.info("{} ({}) updated in place: its settings in the template changed", logicalId, id);
        });
        return id;
    }

    private static ObjectNode settings(String json) {
        try {
            return (ObjectNode) AwsJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("recorded settings are not JSON", e);
        }
    }

    /** Runs {@code action} in the second phase, once nothing was refused. */
    void commit(String logicalId, Runnable action) {
        commits.add(Map.entry(logicalId, action));
    }

    /** Throws {@link StackPlan.Refused} when a change was refused; else runs what was queued, in order. */
    void commitAll() {
        if (!refusals.isEmpty()) {
            throw new StackPlan.Refused(refusals);
        }
        commits.forEach(commit -> run(commit.getKey(), commit.getValue()));
    }

    /** Runs a step of resource {@code logicalId}; a service's refusal becomes a {@link StackException} naming it. */
    static void run(String logicalId, Runnable step) {
        try {
            step.run();
        } catch (ServiceException e) {
            // TablesException is one too: DynamoDB's answer to a table the template cannot have
            throw new StackException("resource " + logicalId + ": " + e.error().message(), e);
        }
    }
}
