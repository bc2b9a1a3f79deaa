/**
 * Generative adversarial networks: the {@link io.jgrad.models.gan.Gan} trainer (non-saturating BCE,
 * Goodfellow et al. 2014; WGAN-GP, Gulrajani et al. 2017), DCGAN networks for 28x28 images
 * ({@link io.jgrad.models.gan.DCGAN}, Radford et al. 2015) and the Frechet distance between Gaussian
 * fits of features ({@link io.jgrad.models.gan.FrechetDistance}, Heusel et al. 2017).
 */
package io.jgrad.models.gan;
