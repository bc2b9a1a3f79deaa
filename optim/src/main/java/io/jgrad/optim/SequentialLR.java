package io.jgrad.optim;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs schedules one after another, switching at milestone epochs (PyTorch's {@code SequentialLR}),
 * e.g. a linear warm-up followed by cosine annealing:
 *
 * <pre>{@code
 * LinearLR warm = new LinearLR(opt, 0.1, 1.0, 5);
 * CosineAnnealingLR cos = new CosineAnnealingLR(opt, 95);
 * SequentialLR sched = new SequentialLR(opt, List.of(warm, cos), new int[] {5});
 * }</pre>
 *
 * At a milestone the next schedule restarts from epoch 0 (through its closed form when it has one),
 * reproducing PyTorch 1.13's sequence.
 */
public class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    /** Uses {@code schedulers.get(k)} from epoch {@code milestones[k - 1]} on. */
    public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, int[] milestones) {
        super(optimizer);
        if (schedulers.isEmpty()) {
            throw new IllegalArgumentException("SequentialLR: needs at least one schedule");
        }
        for (int k = 0; k < schedulers.size(); k++) {
            if (schedulers.get(k).optimizer != optimizer) {
                throw new IllegalArgumentException("SequentialLR: schedule " + k + " belongs to another optimizer");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expected " + (schedulers.size() - 1)
                    + " milestones (one fewer than the " + schedulers.size() + " schedules), got " + milestones.length);
        }
        for (int k = 1; k < milestones.length; k++) {
            if (milestones[k] < milestones[k - 1]) {
                throw new IllegalArgumentException(
                        "SequentialLR: milestones must be increasing, got " + Arrays.toString(milestones));
            }
        }
        this.schedulers = new ArrayList<>(schedulers);
        this.milestones = milestones.clone();
        this.lastEpoch = 0;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            baseLrs[i] = groups.get(i).get("initial_lr");
            groups.get(i).put("lr", baseLrs[i]); // undo the children's initial steps
        }
        for (LRScheduler s : this.schedulers) {
            s.lastEpoch -= 1;
        }
        this.schedulers.get(0).restart();
        apply(this.schedulers.get(0).lastLr());
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0; // bisect_right(milestones, lastEpoch)
        while (idx < milestones.length && milestones[idx] <= lastEpoch) {
            idx++;
        }
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) {
            s.stepTo(0);
        } else {
            s.step();
        }
        apply(s.lastLr());
    }

    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException("SequentialLR: the rates come from the current schedule");
    }

    @Override
    protected void saveExtra(Map<String, Tensor> out) {
        for (int k = 0; k < schedulers.size(); k++) {
            for (Map.Entry<String, Tensor> e : schedulers.get(k).stateDict().entrySet()) {
                out.put("schedulers." + k + "." + e.getKey(), e.getValue());
            }
        }
        out.put("num_schedulers", Tensor.scalar(DType.FLOAT64, schedulers.size()));
    }

    @Override
    protected void loadExtra(Map<String, Tensor> dict) {
        for (int k = 0; k < schedulers.size(); k++) {
            String prefix = "schedulers." + k + ".";
            Map<String, Tensor> sub = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : dict.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    sub.put(e.getKey().substring(prefix.length()), e.getValue());
                }
            }
            schedulers.get(k).loadStateDict(sub);
        }
    }
}
