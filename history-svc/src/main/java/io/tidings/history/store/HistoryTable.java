package io.tidings.history.store;

import io.quarkus.logging.Log;
import io.tidings.history.config.HistoryConfig;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hbase.NamespaceDescriptor;
import org.apache.hadoop.hbase.NamespaceExistException;
import org.apache.hadoop.hbase.NamespaceNotFoundException;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.io.encoding.DataBlockEncoding;
import org.apache.hadoop.hbase.regionserver.BloomType;

/**
 * The history table: its name, its schema and the start-up step that creates it (and its
 * namespace) when missing. docs/history.md explains the design.
 */
public final class HistoryTable {

    private final HistoryConfig.Table config;
    private final TableName name;
    private final Compression.Algorithm compression;

    HistoryTable(HistoryConfig.Table config) {
        this.config = config;
        this.name = TableName.valueOf(config.namespace(), config.name());
        this.compression = compressionOf(config.compression());
        if (config.ttlDays() < 1) {
            throw new IllegalArgumentException(
                    "tidings.history.table.ttl-days is " + config.ttlDays() + "; use 1 or more days");
        }
    }

    public TableName name() {
        return name;
    }

    /** Returns the table schema: one column family, one version per cell, TTL from the config. */
    public TableDescriptor descriptor() {
        ColumnFamilyDescriptor family = ColumnFamilyDescriptorBuilder.newBuilder(HistoryRows.FAMILY)
                .setMaxVersions(1)
                .setTimeToLive((int) TimeUnit.DAYS.toSeconds(config.ttlDays()))
                .setCompressionType(compression)
                // Neighbouring row keys share the salt, the conversation key and most of the
                // time, which FAST_DIFF stores once per block.
                .setDataBlockEncoding(DataBlockEncoding.FAST_DIFF)
                .setBloomFilterType(BloomType.ROW)
                .build();
        return TableDescriptorBuilder.newBuilder(name).setColumnFamily(family).build();
    }

    /** Returns the split keys that give each salt value its own initial region. */
    public static byte[][] splitKeys() {
        byte[][] splits = new byte[RowKeys.SALT_BUCKETS - 1][];
        for (int salt = 1; salt < RowKeys.SALT_BUCKETS; salt++) {
            splits[salt - 1] = new byte[] {(byte) salt};
        }
        return splits;
    }

    /**
     * Creates the namespace and the table when they are missing. Safe to run from several
     * instances at once: losing the creation race is success.
     */
    public void ensureExists(Admin admin) throws IOException {
        ensureNamespace(admin);
        if (admin.tableExists(name)) {
            return;
        }
        try {
            admin.createTable(descriptor(), splitKeys());
            Log.infof("Created HBase table %s with %d regions, TTL %d days, compression %s",
                    name, RowKeys.SALT_BUCKETS, config.ttlDays(), compression);
        } catch (TableExistsException raced) {
            Log.debugf("HBase table %s was created concurrently", name);
        }
    }

    private void ensureNamespace(Admin admin) throws IOException {
        try {
            admin.getNamespaceDescriptor(config.namespace());
        } catch (NamespaceNotFoundException missing) {
            try {
                admin.createNamespace(NamespaceDescriptor.create(config.namespace()).build());
                Log.infof("Created HBase namespace %s", config.namespace());
            } catch (NamespaceExistException raced) {
                Log.debugf("HBase namespace %s was created concurrently", config.namespace());
            }
        }
    }

    private static Compression.Algorithm compressionOf(String configured) {
        try {
            return Compression.Algorithm.valueOf(configured.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tidings.history.table.compression '" + configured
                    + "' is not an HBase compression algorithm: use NONE, GZ, SNAPPY, LZ4, ZSTD, BZIP2 or LZMA", e);
        }
    }
}
