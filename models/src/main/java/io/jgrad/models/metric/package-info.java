/**
 * Metric learning: a Siamese wrapper that applies one embedding network to every input
 * ({@link io.jgrad.models.metric.Siamese}, Bromley et al. 1993; trained with the contrastive loss of
 * Hadsell, Chopra and LeCun 2006 or the triplet loss), and the evaluation of embeddings: verification
 * ROC-AUC and k-nearest-neighbour classification ({@link io.jgrad.models.metric.Embeddings}).
 */
package io.jgrad.models.metric;
