package org.captioner.train;

import org.captioner.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The run's human-readable record: {@code log.csv} and {@code loss.png}, rewritten atomically after each epoch. A
 * self-critical run adds a {@code train_reward} column and plots its reward curve (mean CIDEr-D of the sampled
 * captions) beside the dev CIDEr-D instead of the losses.
 */
final class TrainingLog {
    static final String CSV_FILE = "log.csv";
    static final String PLOT_FILE = "loss.png";

    private TrainingLog() {
    }

    static void write(Path runDirectory, List<EpochRecord> records) throws IOException {
        boolean rewarded = records.stream().anyMatch(r -> r.trainReward() != null);
        StringBuilder csv = new StringBuilder("epoch,step,train_loss,dev_loss,dev_metric,lr,seconds"
                + (rewarded ? ",train_reward\n" : "\n"));
        for (EpochRecord r : records) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%s,%.6g,%.1f", r.epoch(), r.step(), r.trainLoss(),
                    r.devLoss(), optional(r.devMetric()), r.learningRate(), r.seconds()));
            csv.append(rewarded ? "," + optional(r.trainReward()) + "\n" : "\n");
        }
        AtomicFiles.writeString(runDirectory.resolve(CSV_FILE), csv.toString());
        if (!records.isEmpty()) {
            writePlot(runDirectory.resolve(PLOT_FILE), records, rewarded);
        }
    }

    private static String optional(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.6f", value);
    }

    private static void writePlot(Path file, List<EpochRecord> records, boolean rewarded) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] epochs = records.stream().mapToDouble(EpochRecord::epoch).toArray();
        XYChart chart;
        if (rewarded) {
            chart = new XYChartBuilder().width(800).height(500).title("Reward per epoch")
                    .xAxisTitle("epoch").yAxisTitle("CIDEr-D").build();
            chart.addSeries("train samples", epochs, records.stream().mapToDouble(EpochRecord::trainReward).toArray());
            List<EpochRecord> scored = records.stream().filter(r -> r.devMetric() != null).toList();
            if (!scored.isEmpty()) {
                chart.addSeries("dev", scored.stream().mapToDouble(EpochRecord::epoch).toArray(),
                        scored.stream().mapToDouble(EpochRecord::devMetric).toArray());
            }
        } else {
            chart = new XYChartBuilder().width(800).height(500).title("Loss per epoch")
                    .xAxisTitle("epoch").yAxisTitle("cross-entropy").build();
            chart.addSeries("train", epochs, records.stream().mapToDouble(EpochRecord::trainLoss).toArray());
            chart.addSeries("dev", epochs, records.stream().mapToDouble(EpochRecord::devLoss).toArray());
        }
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
