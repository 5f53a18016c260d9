package org.captioner.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The range a numeric option must lie in, checked by {@link OptionRanges} after parsing and before the command runs:
 * out of range is a usage error (exit code 2) naming the option and this range. Doubles must also be finite.
 * The option's description states the same range, as {@link OptionRanges#describe} writes it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
@interface Within {
    double min();

    /** Unbounded above when infinite. */
    double max() default Double.POSITIVE_INFINITY;

    /** Whether {@code min} itself is refused (e.g. a temperature must be above 0). */
    boolean aboveMin() default false;
}
