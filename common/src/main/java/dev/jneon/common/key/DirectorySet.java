package dev.jneon.common.key;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Copy-on-write helpers for the set-valued directory records: each keeps an unmodifiable sorted
 * copy of its members and builds a new record per change. Stateless.
 */
final class DirectorySet {

    private DirectorySet() {
    }

    /** An unmodifiable sorted copy of {@code items}; rejects null collections and members. */
    static <T> SortedSet<T> frozen(Collection<T> items, Comparator<? super T> order, String what) {
        return Collections.unmodifiableSortedSet(copy(items, order, what));
    }

    static <T> SortedSet<T> plus(Collection<T> items, T item, Comparator<? super T> order) {
        TreeSet<T> copy = copy(items, order, "set");
        copy.add(item);
        return copy;
    }

    static <T> SortedSet<T> minus(Collection<T> items, T item, Comparator<? super T> order) {
        TreeSet<T> copy = copy(items, order, "set");
        copy.remove(item);
        return copy;
    }

    private static <T> TreeSet<T> copy(Collection<T> items, Comparator<? super T> order, String what) {
        if (items == null || items.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        TreeSet<T> set = new TreeSet<>(order);
        set.addAll(items);
        return set;
    }
}
