/**
 * Tensor file formats: NumPy's {@code .npy} ({@link io.jgrad.core.io.Npy}) and safetensors
 * ({@link io.jgrad.core.io.SafeTensors}), plus {@link io.jgrad.core.io.AtomicFiles} for writing files
 * that are never seen half-written.
 *
 * <p>The readers treat files as untrusted: every size is checked against the file length and sane
 * limits before anything is allocated, and every problem is reported as a
 * {@link io.jgrad.core.io.TensorFormatException} naming the file and what is wrong.
 */
package io.jgrad.core.io;
