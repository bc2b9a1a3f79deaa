/**
 * Reusable models and training algorithms built on jgrad's layers, optimizers and trainer, each
 * following a published paper named in its Javadoc: restricted Boltzmann machines and deep belief
 * networks ({@link io.jgrad.models.rbm}).
 */
package io.jgrad.models;
