/**
 * Process-wide settings of the deep learning engine (DJL's PyTorch): {@link org.captioner.engine.TorchThreads}
 * (libtorch's intra-op thread count) and {@link org.captioner.engine.NoGradient} (autograd off on the current
 * thread).
 *
 * <p>A leaf utility: imports no other Captioner package (only DJL); any layer may import it.
 */
package org.captioner.engine;
