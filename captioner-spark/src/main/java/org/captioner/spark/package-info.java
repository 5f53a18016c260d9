/**
 * Captioning and feature extraction as Apache Spark jobs: images read with Spark's file index from any Hadoop
 * file system, one model per executor JVM, one output row per input file (Parquet or JSON Lines).
 *
 * <p>Main types: {@link org.captioner.spark.CaptionJob} (captions, errors as rows),
 * {@link org.captioner.spark.FeatureJob} (backbone features in the feature store's float16 encoding),
 * {@link org.captioner.spark.FeatureImport} (those rows into a feature store {@code train} reads),
 * {@link org.captioner.spark.ExecutorModels} (the model loaded once per executor) and
 * {@link org.captioner.spark.SparkApp} (the {@code spark-submit} entry point). docs/spark.md tells how to run them.
 *
 * <p>Layer 12 of docs/architecture.md: may import the layers below it; uses the
 * {@link org.captioner.Captioner} front door, {@code bundle}, {@code decode}, {@code features}, {@code image},
 * {@code model}, {@code engine}. Never the CLI or the server.
 */
package org.captioner.spark;
