package org.captioner.train;

import org.captioner.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The run's human-readable record: {@code log.csv} and {@code loss.png}, rewritten atomically after each epoch. */
final class TrainingLog {
    static final String CSV_FILE = "log.csv";
    static final String PLOT_FILE = "loss.png";

    private TrainingLog() {
    }

    static void write(Path runDirectory, List<EpochRecord> records) throws IOException {
        StringBuilder csv = new StringBuilder("epoch,step,train_loss,dev_loss,dev_metric,lr,seconds\n");
        for (EpochRecord r : records) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%s,%.6g,%.1f%n", r.epoch(), r.step(), r.trainLoss(),
                    r.devLoss(), r.devMetric() == null ? "" : String.format(Locale.ROOT, "%.6f", r.devMetric()),
                    r.learningRate(), r.seconds()));
        }
        AtomicFiles.writeString(runDirectory.resolve(CSV_FILE), csv.toString());
        if (!records.isEmpty()) {
            writePlot(runDirectory.resolve(PLOT_FILE), records);
        }
    }

    private static void writePlot(Path file, List<EpochRecord> records) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Loss per epoch")
                .xAxisTitle("epoch").yAxisTitle("cross-entropy").build();
        double[] epochs = records.stream().mapToDouble(EpochRecord::epoch).toArray();
        chart.addSeries("train", epochs, records.stream().mapToDouble(EpochRecord::trainLoss).toArray());
        chart.addSeries("dev", epochs, records.stream().mapToDouble(EpochRecord::devLoss).toArray());
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
