/**
 * Restricted Boltzmann machines ({@link io.jgrad.models.rbm.RBM}), their training by contrastive
 * divergence ({@link io.jgrad.models.rbm.ContrastiveDivergence}) and deep belief networks
 * ({@link io.jgrad.models.rbm.DBN}).
 */
package io.jgrad.models.rbm;
