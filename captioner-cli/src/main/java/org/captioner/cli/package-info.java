/**
 * The {@code captioner} command line (picocli): one class per command ({@code dataset}, {@code features},
 * {@code train}, {@code caption}, {@code attend}, {@code evaluate}, {@code score}, {@code bench}, {@code serve}),
 * the option mixins they share ({@link org.captioner.cli.ModelOptions}, {@link org.captioner.cli.DecodingFlags},
 * {@link org.captioner.cli.DatasetOptions}), option ranges ({@link org.captioner.cli.Within},
 * {@link org.captioner.cli.OptionRanges}) and {@link org.captioner.cli.ExitCodes}, the one place where errors
 * become a message and an exit code.
 *
 * <p>Layer 12 of docs/architecture.md, the top: may import every Captioner package; nothing imports it.
 */
package org.captioner.cli;
