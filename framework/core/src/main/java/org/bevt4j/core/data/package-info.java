/** The data pipeline: dataset settings ({@code bevt.data}), list/folder parsing, the built-in dataset sources ({@link org.bevt4j.core.data.DataSources}) and the throughput benchmark ({@link org.bevt4j.core.data.DataBench}). */
package org.bevt4j.core.data;
