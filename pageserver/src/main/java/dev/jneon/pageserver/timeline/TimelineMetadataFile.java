package dev.jneon.pageserver.timeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.json.JneonJacksonModule;
import dev.jneon.pageserver.disk.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;

/**
 * The file {@value #NAME} in a timeline directory: {@link TimelineMetadata} as JSON,
 * <pre>
 * {"format_version": 1, "metadata": {"disk_consistent_lsn": "0/16B5A50", "prev_record_lsn": null|"X/Y",
 *  "ancestor_timeline": null|"&lt;32 hex&gt;", "ancestor_lsn": "X/Y", "latest_gc_cutoff_lsn": "X/Y",
 *  "initdb_lsn": "X/Y", "pg_version": 15}}
 * </pre>
 * Written to {@value #NAME}{@code .___temp}, fsynced, renamed over the old file and the directory
 * fsynced, so a crash leaves either the old or the new content (a stale temp file is overwritten).
 * A timeline directory without this file is an unfinished creation.
 *
 * <p>Version history: v1 ({@code golden/timeline-metadata/v1/}) is the first format. Stateless;
 * callers serialise writes per timeline.
 */
public final class TimelineMetadataFile {

    public static final String NAME = "metadata.json";
    public static final int FORMAT_VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().addModule(new JneonJacksonModule()).build();

    private TimelineMetadataFile() {}

    record Envelope(@JsonProperty("format_version") int formatVersion, @JsonProperty("metadata") TimelineMetadata metadata) {}

    public static boolean exists(Path timelineDir) {
        return Files.exists(timelineDir.resolve(NAME));
    }

    public static TimelineMetadata read(Path timelineDir) {
        Path file = timelineDir.resolve(NAME);
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read timeline metadata " + file, e);
        }
    }

    public static TimelineMetadata parse(byte[] json) {
        Envelope envelope = JSON.readValue(json, Envelope.class);
        if (envelope.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("timeline metadata format " + envelope.formatVersion() + " is not "
                    + FORMAT_VERSION);
        }
        return envelope.metadata();
    }

    public static byte[] encode(TimelineMetadata metadata) {
        return JSON.writeValueAsBytes(new Envelope(FORMAT_VERSION, metadata));
    }

    /** Replaces the file atomically and durably; an I/O error is fail-stop for the timeline. */
    public static void write(Path timelineDir, TimelineMetadata metadata) {
        DurableFiles.replace(timelineDir.resolve(NAME), encode(metadata));
    }
}
