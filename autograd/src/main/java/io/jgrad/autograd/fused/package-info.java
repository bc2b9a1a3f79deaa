/**
 * Fused differentiable functions that layers are built from: layer and batch normalization, cross
 * entropy, the attention's masked softmax, the embedding lookup and the recurrent scans (LSTM, GRU and
 * plain RNN over a whole sequence). Each is one {@link io.jgrad.autograd.Function} whose forward and first-order backward run fused kernels of the core
 * ({@code io.jgrad.core.kernel}), and whose {@code composed} definition, the same function written with
 * differentiable operations, serves every higher order.
 */
package io.jgrad.autograd.fused;
