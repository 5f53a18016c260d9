package org.captioner.spark;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.captioner.image.ImageDecodeException;
import org.captioner.image.ImageDecodeException.Kind;
import org.captioner.image.ImageDecoder;
import org.captioner.image.ImageLimits;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;

/**
 * Reads and decodes an image file on an executor through Hadoop's file systems ({@code file:}, {@code hdfs:},
 * {@code s3a:} ...). A file larger than the limit is refused by its size, before a byte of it is read.
 */
final class ImageFileReader implements Serializable {
    private final Broadcast<SerializableConfiguration> hadoop;
    private final long maxPixels;
    private final long maxFileBytes;

    ImageFileReader(Broadcast<SerializableConfiguration> hadoop, ImageLimits limits) {
        this.hadoop = hadoop;
        this.maxPixels = limits.maxPixels();
        this.maxFileBytes = limits.maxFileBytes();
    }

    /** @throws ImageDecodeException naming the file, for every reason it cannot be used */
    BufferedImage decode(String path) throws ImageDecodeException {
        ImageDecoder decoder = new ImageDecoder(new ImageLimits(maxPixels, maxFileBytes));
        return decoder.decode(read(path), path);
    }

    private byte[] read(String path) throws ImageDecodeException {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path);
        try {
            FileSystem fs = file.getFileSystem(hadoop.value().value());
            FileStatus status = fs.getFileStatus(file);
            if (!status.isFile()) {
                throw new ImageDecodeException(path, Kind.UNREADABLE, "not a regular file", null);
            }
            if (status.getLen() > maxFileBytes) {
                throw new ImageDecodeException(path, Kind.TOO_MANY_BYTES,
                        "file is " + status.getLen() + " bytes, more than the limit of " + maxFileBytes, null);
            }
            try (FSDataInputStream in = fs.open(file)) {
                return in.readNBytes((int) status.getLen());
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageDecodeException(path, Kind.UNREADABLE, "cannot read: " + e.getMessage(), e);
        }
    }
}
