package io.jgrad.spark;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that Spark can ship to its executors: a lambda assigned to this type is
 * serializable as long as what it captures is. The optimizer factory is one, since with
 * {@link Exchange#BARRIER} every worker makes its own optimizer.
 *
 * @param <A> the argument type
 * @param <B> the result type
 */
@FunctionalInterface
public interface SerializableFunction<A, B> extends Function<A, B>, Serializable {}
