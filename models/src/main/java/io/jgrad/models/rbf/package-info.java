/**
 * Radial basis function networks (Broomhead and Lowe 1988; Moody and Darken 1989): a layer of Gaussian
 * units ({@link io.jgrad.models.rbf.RBFLayer}), the network with a linear output fitted in closed form or
 * trained end to end ({@link io.jgrad.models.rbf.RBFNetwork}), k-means with k-means++ seeding
 * ({@link io.jgrad.models.rbf.KMeans}, Arthur and Vassilvitskii 2007) and ridge least squares
 * ({@link io.jgrad.models.rbf.LeastSquares}).
 */
package io.jgrad.models.rbf;
