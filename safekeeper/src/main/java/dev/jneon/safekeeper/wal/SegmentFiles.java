package dev.jneon.safekeeper.wal;

import dev.jneon.common.wal.WalFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Names of a timeline's WAL segment files: {@code XLogFileName(1, segno)} (24 uppercase hex digits,
 * {@link WalFormat#segmentFileName}), plus {@code .partial} for the segment being written. Immutable.
 */
record SegmentFiles(Path dir, int segmentSize) {

    static final String PARTIAL = ".partial";
    static final String TEMP = "waltmp";

    Path full(long segno) {
        return dir.resolve(WalFormat.segmentFileName(segno, segmentSize));
    }

    Path partial(long segno) {
        return dir.resolve(WalFormat.segmentFileName(segno, segmentSize) + PARTIAL);
    }

    Path temp() {
        return dir.resolve(TEMP);
    }

    /** The file holding segment {@code segno}, {@code .partial} first; null if neither exists. */
    Path existing(long segno) {
        Path p = partial(segno);
        if (Files.exists(p)) {
            return p;
        }
        Path f = full(segno);
        return Files.exists(f) ? f : null;
    }

    /** Segment numbers of all segment files in the directory (full and partial), unsorted. */
    List<Long> list() throws IOException {
        List<Long> out = new ArrayList<>();
        long perId = 0x1_0000_0000L / segmentSize;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(PARTIAL)) {
                    name = name.substring(0, name.length() - PARTIAL.length());
                }
                if (name.length() == 24 && name.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    out.add(Long.parseLong(name, 8, 16, 16) * perId + Long.parseLong(name, 16, 24, 16));
                }
            }
        }
        return out;
    }
}
