package org.captioner.cli;

/** Options whose values must fit together (e.g. -n and --beam); checked after parsing, before the command runs. */
interface CheckedOptions {
    /** @throws IllegalArgumentException naming the options that do not fit together */
    void check();
}
