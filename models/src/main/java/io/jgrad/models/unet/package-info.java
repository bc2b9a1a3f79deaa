/**
 * {@link io.jgrad.models.unet.UNet} for semantic segmentation (Ronneberger et al. 2015): contracting
 * and expanding paths joined by skip concatenations, with size-preserving or the paper's unpadded
 * convolutions.
 */
package io.jgrad.models.unet;
