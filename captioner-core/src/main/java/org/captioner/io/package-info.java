/**
 * File utilities every layer may use: {@link org.captioner.io.AtomicFiles} (write to a temporary file, fsync,
 * rename, so no reader ever sees half a file) and {@link org.captioner.io.JsonErrors} (one-line reasons why a
 * JSON file was refused, naming the field).
 *
 * <p>A leaf utility: imports no other Captioner package; any layer may import it.
 */
package org.captioner.io;
