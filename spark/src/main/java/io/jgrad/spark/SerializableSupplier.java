package io.jgrad.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that Spark can ship to its executors: a lambda or method reference assigned to
 * this type is serializable as long as what it captures is.
 *
 * <pre>{@code
 * SerializableSupplier<Module> model = () -> new Sequential(new Linear(784, 10));
 * }</pre>
 *
 * @param <T> the type supplied
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {}
