/**
 * Process-wide settings of the deep learning engine (DJL's PyTorch): {@link org.captioner.engine.TorchThreads}
 * (libtorch's intra-op thread count), {@link org.captioner.engine.NoGradient} (autograd off on the current
 * thread), {@link org.captioner.engine.GradientRecording} (autograd on, and the backward pass, on the current thread,
 * several threads at once), {@link org.captioner.engine.MatmulPrecision} (libtorch's float32 matmul precision, {@code training.precision})
 * and {@link org.captioner.engine.Constants} (scalars that live until the backward pass).
 *
 * <p>A leaf utility: imports no other Captioner package (only DJL); any layer may import it.
 */
package org.captioner.engine;
