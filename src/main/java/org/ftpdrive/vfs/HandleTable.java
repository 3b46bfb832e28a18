package org.ftpdrive.vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Open files by handle number; an unknown number is {@link BadHandleException} (EBADF). */
final class HandleTable {
    private final AtomicLong next = new AtomicLong(1);
    private final Map<Long, OpenFile> open = new ConcurrentHashMap<>();

    long add(OpenFile file) {
        long id = next.getAndIncrement();
        open.put(id, file);
        return id;
    }

    OpenFile get(long id) throws BadHandleException {
        OpenFile file = open.get(id);
        if (file == null) {
            throw new BadHandleException(id);
        }
        return file;
    }

    OpenFile remove(long id) throws BadHandleException {
        OpenFile file = open.remove(id);
        if (file == null) {
            throw new BadHandleException(id);
        }
        return file;
    }

    List<OpenFile> all() {
        return new ArrayList<>(open.values());
    }

    int size() {
        return open.size();
    }
}
