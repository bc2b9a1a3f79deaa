/**
 * Residual networks for small images: the {@link io.jgrad.models.resnet.BasicBlock} (two 3x3
 * convolutions with batch norm and an identity or projection shortcut) and
 * {@link io.jgrad.models.resnet.ResNet} built from it, with layouts for 3-channel 32x32 and 1-channel
 * 28x28 images (He et al. 2016).
 */
package io.jgrad.models.resnet;
