package org.ftpdrive.config;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user name and password. The password is never part of {@link #toString()}, so a credentials
 * object can be logged or end up in an exception message without leaking it.
 */
public final class Credentials {
    public static final String ANONYMOUS_USER = "anonymous";
    private static final char[] ANONYMOUS_PASSWORD = "ftpdrive@".toCharArray();

    private final String user;
    private final char[] password;

    public Credentials(String user, char[] password) {
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password").clone();
    }

    public static Credentials anonymous() {
        return new Credentials(ANONYMOUS_USER, ANONYMOUS_PASSWORD);
    }

    public String user() {
        return user;
    }

    /** The password as a String, for the one call that sends it (PASS). */
    public String revealPassword() {
        return new String(password);
    }

    public boolean isAnonymous() {
        return user.equals(ANONYMOUS_USER) || user.equals("ftp");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && user.equals(c.user) && Arrays.equals(password, c.password);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***]";
    }
}
