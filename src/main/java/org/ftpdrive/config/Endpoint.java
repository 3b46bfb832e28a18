package org.ftpdrive.config;

import java.util.Objects;
import org.ftpdrive.remote.RemotePath;

/** Where the server is and which directory on it is meant. */
public record Endpoint(String host, int port, RemotePath path) {
    public static final int DEFAULT_PORT = 21;

    public Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not within 1-65535");
        }
    }

    /** host:port, with IPv6 literals in brackets. */
    public String authority() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    @Override
    public String toString() {
        return "ftp://" + authority() + path;
    }
}
