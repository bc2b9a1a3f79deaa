package io.jgrad.examples;

import io.jgrad.optim.LRScheduler;
import io.jgrad.train.Callback;
import io.jgrad.train.Trainer;
import java.util.Map;

/** Steps a learning-rate schedule after every training batch (schedules counted in steps, not epochs). */
final class ScheduleCallback implements Callback {
    private final LRScheduler schedule;

    ScheduleCallback(LRScheduler schedule) {
        this.schedule = schedule;
    }

    @Override
    public void onBatchEnd(Trainer trainer, int batch, Map<String, Double> logs) {
        schedule.step();
    }
}
