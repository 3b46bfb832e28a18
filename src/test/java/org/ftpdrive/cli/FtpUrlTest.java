package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ftpdrive.config.Endpoint;
import org.ftpdrive.remote.RemotePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FtpUrlTest {
    private static final String SECRET = "s3cr3t";

    @Test
    void hostOnlyGetsDefaultPortAndRoot() {
        FtpUrl url = FtpUrl.parse("ftp://example.com");
        assertEquals(new Endpoint("example.com", 21, RemotePath.ROOT), url.endpoint());
        assertNull(url.user());
        assertNull(url.password());
        assertFalse(url.hasPasswordInUrl());
    }

    @Test
    void fullUrl() {
        FtpUrl url = FtpUrl.parse("ftp://bob:pw@files.example.com:2121/pub/data");
        assertEquals("files.example.com", url.endpoint().host());
        assertEquals(2121, url.endpoint().port());
        assertEquals(RemotePath.of("/pub/data"), url.endpoint().path());
        assertEquals("bob", url.user());
        assertArrayEquals("pw".toCharArray(), url.password());
        assertTrue(url.hasPasswordInUrl());
    }

    @Test
    void userWithoutPassword() {
        FtpUrl url = FtpUrl.parse("ftp://alice@host/");
        assertEquals("alice", url.user());
        assertNull(url.password());
        assertFalse(url.hasPasswordInUrl());
    }

    @Test
    void emptyPasswordIsStillAPassword() {
        FtpUrl url = FtpUrl.parse("ftp://bob:@host");
        assertArrayEquals(new char[0], url.password());
        assertTrue(url.hasPasswordInUrl());
    }

    @Test
    void ipv6LiteralWithPort() {
        FtpUrl url = FtpUrl.parse("ftp://[::1]:2121/x");
        assertEquals("::1", url.endpoint().host());
        assertEquals(2121, url.endpoint().port());
        assertEquals(RemotePath.of("/x"), url.endpoint().path());
        assertEquals("[::1]:2121", url.endpoint().authority());
    }

    @Test
    void ipv6LiteralWithoutPort() {
        FtpUrl url = FtpUrl.parse("ftp://[2001:db8::7]");
        assertEquals("2001:db8::7", url.endpoint().host());
        assertEquals(21, url.endpoint().port());
    }

    @Test
    void ipv4Address() {
        FtpUrl url = FtpUrl.parse("ftp://192.0.2.10:21/");
        assertEquals("192.0.2.10", url.endpoint().host());
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertEquals("host", FtpUrl.parse("FTP://host").endpoint().host());
    }

    @Test
    void emptyPortMeansDefault() {
        assertEquals(21, FtpUrl.parse("ftp://host:/").endpoint().port());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals("host", FtpUrl.parse("  ftp://host/ \n").endpoint().host());
    }

    @Test
    void percentDecodesUserPasswordAndPath() {
        FtpUrl url = FtpUrl.parse("ftp://user%40example.com:p%3Aw%2Fd%40@host/my%20dir/f%C3%BCr");
        assertEquals("user@example.com", url.user());
        assertArrayEquals("p:w/d@".toCharArray(), url.password());
        assertEquals(RemotePath.of("/my dir/f\u00fcr"), url.endpoint().path());
    }

    @Test
    void unescapedAtInUserNameUsesTheLastAt() {
        FtpUrl url = FtpUrl.parse("ftp://me@example.com:pw@host/");
        assertEquals("me@example.com", url.user());
        assertArrayEquals("pw".toCharArray(), url.password());
        assertEquals("host", url.endpoint().host());
    }

    @Test
    void pathIsNormalised() {
        assertEquals(RemotePath.of("/a/b/c"), FtpUrl.parse("ftp://host/a//b/./c/").endpoint().path());
        assertEquals(RemotePath.of("/b"), FtpUrl.parse("ftp://host/a/../b").endpoint().path());
        assertEquals("/a/b/c", FtpUrl.parse("ftp://host/a//b/./c/").endpoint().path().toString());
    }

    @Test
    void toStringHidesThePassword() {
        FtpUrl url = FtpUrl.parse("ftp://bob:" + SECRET + "@host:2121/x");
        assertEquals("ftp://bob:***@host:2121/x", url.toString());
        assertEquals("ftp://host:21/", FtpUrl.parse("ftp://host").toString());
        // Without a password the text parses back to the same URL, even with escapes in it.
        FtpUrl escaped = FtpUrl.parse("ftp://a%3Ab@host/p%25q%3Fr%23s");
        assertEquals(escaped, FtpUrl.parse(escaped.toString()));
    }

    @Test
    void passwordAccessorReturnsACopy() {
        FtpUrl url = FtpUrl.parse("ftp://bob:pw@host");
        url.password()[0] = 'X';
        assertArrayEquals("pw".toCharArray(), url.password());
    }

    @Test
    void equalityComparesPasswordContents() {
        assertEquals(FtpUrl.parse("ftp://bob:pw@host/a"), FtpUrl.parse("ftp://bob:pw@host:21/a/"));
        assertFalse(FtpUrl.parse("ftp://bob:pw@host").equals(FtpUrl.parse("ftp://bob:other@host")));
    }

    // --- refusals ----------------------------------------------------------------------------

    private static String refused(String text) {
        UsageException e = assertThrows(UsageException.class, () -> FtpUrl.parse(text));
        assertFalse(e.getMessage().contains(SECRET), () -> "message leaks the password: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), () -> "message is not one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void emptyInput() {
        assertTrue(refused("").startsWith("missing server URL"));
        assertTrue(refused(null).startsWith("missing server URL"));
    }

    @Test
    void missingScheme() {
        assertEquals("'example.com/pub' is not an ftp:// URL (" + FtpUrl.EXPECTED + ")",
                refused("example.com/pub"));
    }

    @Test
    void missingSchemeWithPasswordIsRedacted() {
        assertEquals("'bob:***@host/x' is not an ftp:// URL (" + FtpUrl.EXPECTED + ")",
                refused("bob:" + SECRET + "@host/x"));
    }

    @ParameterizedTest
    @CsvSource({"sftp://host/x, sftp", "http://host/, http", "SFTP://bob:" + SECRET + "@host, SFTP"})
    void otherSchemes(String text, String scheme) {
        String message = refused(text);
        assertEquals(scheme + ":// URLs are not supported (" + FtpUrl.EXPECTED + ")", message);
        assertTrue(message.contains("ftp://"));
    }

    @Test
    void ftpsIsNotSupportedYet() {
        assertEquals("ftps:// is not supported yet", refused("ftps://bob:" + SECRET + "@host/"));
    }

    @ParameterizedTest
    @CsvSource({"ftp://", "ftp:///path", "ftp://bob:" + SECRET + "@/x", "ftp://:21/x"})
    void missingHost(String text) {
        assertEquals("the URL has no host name (" + FtpUrl.EXPECTED + ")", refused(text));
    }

    @Test
    void portNotANumber() {
        assertEquals("port 'ab' is not a number", refused("ftp://host:ab/x"));
        assertEquals("port '-1' is not a number", refused("ftp://host:-1"));
        assertEquals("port 'ab' is not a number", refused("ftp://bob:" + SECRET + "@host:ab/x"));
    }

    @Test
    void rawSlashInPasswordDoesNotLeakThroughThePortMessage() {
        assertEquals("the port in the URL is not a number (write a '/' in a password as %2F)",
                refused("ftp://bob:" + SECRET + "/x@host/"));
    }

    @ParameterizedTest
    @CsvSource({"ftp://host:0, 0", "ftp://host:65536, 65536", "ftp://host:99999999999, 99999999999"})
    void portOutOfRange(String text, String port) {
        assertEquals("port " + port + " is not within 1-65535", refused(text));
    }

    @Test
    void highestPortIsFine() {
        assertEquals(65535, FtpUrl.parse("ftp://host:65535").endpoint().port());
    }

    @ParameterizedTest
    @CsvSource({"ftp://host/x?type=i", "ftp://host/x#top", "ftp://bob:" + SECRET + "#@host/", "ftp://host?x"})
    void queryAndFragmentAreRefused(String text) {
        assertTrue(refused(text).startsWith("an ftp:// URL cannot have a query (?) or fragment (#) part"));
    }

    @Test
    void lineBreaksInPathAreRefused() {
        assertEquals("the path name 'a\\r\\nDELE b' contains a CR, LF or NUL character",
                refused("ftp://host/a%0D%0ADELE%20b"));
        assertEquals("the path name 'x\\0' contains a CR, LF or NUL character", refused("ftp://host/x%00"));
    }

    @Test
    void lineBreaksInUserAreRefused() {
        assertEquals("the user name contains a CR, LF or NUL character",
                refused("ftp://bob%0D%0AQUIT:" + SECRET + "@host/"));
    }

    @Test
    void lineBreaksInPasswordAreRefusedWithoutShowingIt() {
        assertEquals("the password in the URL contains a CR, LF or NUL character",
                refused("ftp://bob:" + SECRET + "%0A@host/"));
    }

    @Test
    void malformedPercentEscapes() {
        assertEquals("malformed percent escape '%zz' in the path (expected % followed by two hex digits)",
                refused("ftp://host/a%zz"));
        assertEquals("malformed percent escape '%4' in the path (expected % followed by two hex digits)",
                refused("ftp://host/a%4"));
        assertEquals("malformed percent escape '%' in the user name (expected % followed by two hex digits)",
                refused("ftp://bob%@host/"));
    }

    @Test
    void malformedEscapeInPasswordIsNotQuoted() {
        assertEquals("malformed percent escape in the password (expected % followed by two hex digits)",
                refused("ftp://bob:" + SECRET + "%G1@host/"));
    }

    @Test
    void invalidUtf8AfterDecoding() {
        assertEquals("the path is not valid UTF-8 after percent-decoding", refused("ftp://host/%C3%28"));
    }

    @Test
    void emptyUserName() {
        assertEquals("the URL has an empty user name before '@'", refused("ftp://:" + SECRET + "@host/"));
    }

    @Test
    void unbracketedIpv6() {
        assertEquals("IPv6 addresses must be written in brackets, e.g. ftp://[::1]:21/", refused("ftp://::1/x"));
    }

    @Test
    void brokenIpv6Literals() {
        assertEquals("missing ']' after the IPv6 address in the URL", refused("ftp://[::1/x"));
        assertEquals("'[host]' is not an IPv6 address", refused("ftp://[host]/"));
        assertEquals("unexpected 'x' after the IPv6 address (expected :PORT)", refused("ftp://[::1]x/"));
    }

    @Test
    void invalidHostCharacters() {
        assertEquals("invalid host name 'a b'", refused("ftp://a b/x"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Unmatched argument at index 2: 'ftp://bob:s3cr3t%21@h:21/x' | Unmatched argument at index 2: 'ftp://bob:***@h:21/x'",
        "'ftp://bob:s3/cr@3t@h/', 'FTP://amy:s3cr3t@h' | 'ftp://bob:***@h/', 'FTP://amy:***@h'",
        "ftp://bob@example.com:s3cr3t@h/ | ftp://bob@example.com:***@h/",
        "ftp://bob@h:21/ and ftp://h:21/ | ftp://bob@h:21/ and ftp://h:21/",
    })
    void passwordsInUrlsInsideMessagesAreMasked(String message, String expected) {
        assertEquals(expected, FtpUrl.redactPasswords(message));
    }
}
