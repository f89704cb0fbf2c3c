/**
 * Data-parallel training across processes and hosts on Open MPI: a minimal JNA binding of the MPI
 * calls the trainer needs ({@link org.bevt4j.core.dist.MpiLibrary}), the {@link
 * org.bevt4j.core.dist.Communicator} abstraction (MPI or single-process), bucketed gradient
 * all-reduce ({@link org.bevt4j.core.dist.GradientReducer}) and parameter broadcast.
 *
 * <p>Why JNA and not Open MPI's Java bindings: Debian ships {@code libmpi_java.so} but not
 * {@code mpi.jar}; building the Java classes needs Open MPI's source package at install time. The
 * trainer needs only init, rank/size, all-reduce, broadcast, barrier, abort and finalize: eight
 * C functions, bound directly on {@code libmpi.so} with JNA (already on DJL's class path), with no
 * build step and no extra jar. The library is opened with {@code RTLD_GLOBAL} so that Open MPI's
 * dynamically loaded MCA components resolve their symbols.
 */
package org.bevt4j.core.dist;
