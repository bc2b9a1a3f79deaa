/**
 * Self-organizing maps (Kohonen 1982; Kohonen 2001): the map ({@link io.jgrad.models.som.SOM}) on a
 * rectangular or hexagonal {@link io.jgrad.models.som.Grid}, online and batch training with
 * {@link io.jgrad.models.som.Neighborhood} functions and {@link io.jgrad.models.som.Decay} schedules,
 * quality measures, and U-matrix and component-plane images ({@link io.jgrad.models.som.SomImages}).
 */
package io.jgrad.models.som;
