package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ftpdrive.cli.CredentialSource.PasswordPrompt;
import org.ftpdrive.cli.CredentialSource.Resolved;
import org.ftpdrive.config.Credentials;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialSourceTest {
    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();
    private final List<String> prompts = new ArrayList<>();
    /** What the fake console "types"; null means there is no console. */
    private char[] typed;
    private Path passwordFile;

    @BeforeEach
    void setUp() {
        passwordFile = home.resolve("pw.txt");
    }

    private Resolved resolve(String url, String userOption, Path file) {
        PasswordPrompt prompt = text -> {
            prompts.add(text);
            return typed;
        };
        return new CredentialSource(env, home, prompt).resolve(FtpUrl.parse(url), userOption, file);
    }

    private void netrc(String text) throws IOException {
        Path file = home.resolve(".netrc");
        Files.writeString(file, text);
        chmod(file, "rw-------");
    }

    private static void chmod(Path file, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the permission warning tests then don't apply
        }
    }

    private void passwordFile(String content) throws IOException {
        Files.writeString(passwordFile, content);
    }

    private static Credentials creds(String user, String password) {
        return new Credentials(user, password.toCharArray());
    }

    // --- user --------------------------------------------------------------------------------

    @Test
    void anonymousWhenNoUserAnywhere() {
        Resolved r = resolve("ftp://host/", null, null);
        assertEquals(Credentials.anonymous(), r.credentials());
        assertEquals(List.of(), r.warnings());
        assertEquals(List.of(), prompts);
    }

    @Test
    void anonymousWhenNetrcHasNoEntryForTheHost() throws IOException {
        netrc("machine other login u password p\n");
        assertEquals(Credentials.anonymous(), resolve("ftp://host/", null, null).credentials());
    }

    @Test
    void userOptionWinsOverUrlUser() {
        env.put(CredentialSource.PASSWORD_ENV, "pw");
        assertEquals(creds("opt", "pw"), resolve("ftp://urluser@host/", "opt", null).credentials());
    }

    @Test
    void urlUserIsUsedWithoutUserOption() {
        env.put(CredentialSource.PASSWORD_ENV, "pw");
        assertEquals(creds("urluser", "pw"), resolve("ftp://urluser@host/", null, null).credentials());
    }

    @Test
    void netrcSuppliesLoginAndPasswordWhenNoUserIsGiven() throws IOException {
        netrc("machine host login nuser password npw\n");
        Resolved r = resolve("ftp://host/", null, null);
        assertEquals(creds("nuser", "npw"), r.credentials());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void passwordWithoutAnyUserWarnsAndGoesAnonymous() {
        env.put(CredentialSource.PASSWORD_ENV, "pw");
        Resolved r = resolve("ftp://host/", null, null);
        assertEquals(Credentials.anonymous(), r.credentials());
        assertEquals(List.of(CredentialSource.PASSWORD_WITHOUT_USER_WARNING), r.warnings());
    }

    @Test
    void emptyOrMultiLineUserOptionIsRefused() {
        assertEquals("--user must not be empty",
                assertThrows(UsageException.class, () -> resolve("ftp://host/", "", null)).getMessage());
        assertEquals("--user contains a CR, LF or NUL character",
                assertThrows(UsageException.class, () -> resolve("ftp://host/", "a\r\nQUIT", null)).getMessage());
    }

    // --- password order ----------------------------------------------------------------------

    @Test
    void envBeatsFileUrlNetrcAndPrompt() throws IOException {
        env.put(CredentialSource.PASSWORD_ENV, "fromEnv");
        passwordFile("fromFile\n");
        netrc("machine host login bob password fromNetrc\n");
        typed = "typed".toCharArray();
        Resolved r = resolve("ftp://bob:fromUrl@host/", null, passwordFile);
        assertEquals(creds("bob", "fromEnv"), r.credentials());
        assertEquals(List.of(), r.warnings());
        assertEquals(List.of(), prompts);
    }

    @Test
    void emptyEnvVariableCountsAsUnset() throws IOException {
        env.put(CredentialSource.PASSWORD_ENV, "");
        passwordFile("fromFile\n");
        assertEquals(creds("bob", "fromFile"), resolve("ftp://bob@host/", null, passwordFile).credentials());
    }

    @Test
    void fileBeatsUrlNetrcAndPrompt() throws IOException {
        passwordFile("fromFile\nsecond line\n");
        netrc("machine host login bob password fromNetrc\n");
        typed = "typed".toCharArray();
        Resolved r = resolve("ftp://bob:fromUrl@host/", null, passwordFile);
        assertEquals(creds("bob", "fromFile"), r.credentials());
        assertEquals(List.of(), r.warnings());
        assertEquals(List.of(), prompts);
    }

    @Test
    void fileFirstLineLosesCrLf() throws IOException {
        passwordFile("with space \r\n");
        assertEquals(creds("bob", "with space "), resolve("ftp://bob@host/", null, passwordFile).credentials());
    }

    @Test
    void fileWithoutTrailingNewline() throws IOException {
        passwordFile("plain");
        assertEquals(creds("bob", "plain"), resolve("ftp://bob@host/", null, passwordFile).credentials());
    }

    @Test
    void missingPasswordFileNamesTheFile() {
        Path missing = home.resolve("nope.txt");
        UsageException e = assertThrows(UsageException.class, () -> resolve("ftp://bob@host/", null, missing));
        assertEquals("cannot read password file " + missing + ": no such file", e.getMessage());
    }

    @Test
    void unreadablePasswordFileNamesTheFile() {
        // A directory can't be read as a file, whoever runs the test (root ignores chmod).
        UsageException e = assertThrows(UsageException.class, () -> resolve("ftp://bob@host/", null, home));
        assertTrue(e.getMessage().startsWith("cannot read password file " + home + ": "), e.getMessage());
    }

    @Test
    void emptyPasswordFileIsRefused() throws IOException {
        passwordFile("\n");
        UsageException e = assertThrows(UsageException.class,
                () -> resolve("ftp://bob@host/", null, passwordFile));
        assertEquals("password file " + passwordFile + " is empty", e.getMessage());
    }

    @Test
    void passwordFileThatIsNotUtf8() throws IOException {
        Files.write(passwordFile, new byte[] {(byte) 0xC3, (byte) 0x28});
        UsageException e = assertThrows(UsageException.class,
                () -> resolve("ftp://bob@host/", null, passwordFile));
        assertEquals("password file " + passwordFile + " is not valid UTF-8", e.getMessage());
    }

    @Test
    void nonAsciiPasswordFile() throws IOException {
        Files.writeString(passwordFile, "p\u00e4ss\n", StandardCharsets.UTF_8);
        assertEquals(creds("bob", "p\u00e4ss"), resolve("ftp://bob@host/", null, passwordFile).credentials());
    }

    @Test
    void urlPasswordBeatsNetrcAndPromptButWarns() throws IOException {
        netrc("machine host login bob password fromNetrc\n");
        typed = "typed".toCharArray();
        Resolved r = resolve("ftp://bob:fromUrl@host/", null, null);
        assertEquals(creds("bob", "fromUrl"), r.credentials());
        assertEquals(List.of(CredentialSource.URL_PASSWORD_WARNING), r.warnings());
        assertTrue(r.warnings().get(0).contains("`ps`"));
        assertFalse(r.warnings().get(0).contains("fromUrl"));
        assertEquals(List.of(), prompts);
    }

    @Test
    void urlPasswordWorksWithUserOption() {
        Resolved r = resolve("ftp://bob:fromUrl@host/", "alice", null);
        assertEquals(creds("alice", "fromUrl"), r.credentials());
    }

    @Test
    void netrcBeatsPrompt() throws IOException {
        netrc("machine host login bob password fromNetrc\n");
        typed = "typed".toCharArray();
        Resolved r = resolve("ftp://bob@host/", null, null);
        assertEquals(creds("bob", "fromNetrc"), r.credentials());
        assertEquals(List.of(), r.warnings());
        assertEquals(List.of(), prompts);
    }

    @Test
    void netrcEntryMustMatchTheKnownUser() throws IOException {
        netrc("machine host login bob password bobs\nmachine host login carol password carols\n");
        assertEquals(creds("carol", "carols"), resolve("ftp://carol@host/", null, null).credentials());
        assertEquals(creds("carol", "carols"), resolve("ftp://bob@host/", "carol", null).credentials());
    }

    @Test
    void netrcDefaultEntryIsUsedLast() throws IOException {
        netrc("machine other login bob password otherpw\ndefault login bob password defaultpw\n");
        assertEquals(creds("bob", "defaultpw"), resolve("ftp://bob@host/", null, null).credentials());
    }

    @Test
    void netrcMatchesIpv6Hosts() throws IOException {
        netrc("machine ::1 login bob password v6\n");
        assertEquals(creds("bob", "v6"), resolve("ftp://[::1]:2121/", null, null).credentials());
    }

    @Test
    void netrcLocationCanBeOverriddenWithNetrcVariable() throws IOException {
        Path other = home.resolve("other-netrc");
        Files.writeString(other, "machine host login bob password elsewhere\n");
        chmod(other, "rw-------");
        env.put(CredentialSource.NETRC_ENV, other.toString());
        assertEquals(creds("bob", "elsewhere"), resolve("ftp://bob@host/", null, null).credentials());
    }

    @Test
    void netrcReadableByOthersWarns() throws IOException {
        Path file = home.resolve(".netrc");
        Files.writeString(file, "machine host login bob password p\n");
        chmod(file, "rw-r--r--");
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Resolved r = resolve("ftp://bob@host/", null, null);
        assertEquals(creds("bob", "p"), r.credentials());
        assertEquals(List.of(file + " holds a password and can be read by other users; run chmod 600 " + file),
                r.warnings());
    }

    @Test
    void unreadableNetrcIsIgnoredWithAWarning() throws IOException {
        Files.createDirectory(home.resolve(".netrc"));
        typed = "typed".toCharArray();
        Resolved r = resolve("ftp://bob@host/", null, null);
        assertEquals(creds("bob", "typed"), r.credentials());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("cannot read " + home.resolve(".netrc") + " ("),
                r.warnings().get(0));
        assertTrue(r.warnings().get(0).endsWith("); ignoring it"), r.warnings().get(0));
    }

    @Test
    void promptWhenUserKnownAndConsolePresent() {
        typed = "typed".toCharArray();
        Resolved r = resolve("ftp://bob@host:2121/", null, null);
        assertEquals(creds("bob", "typed"), r.credentials());
        assertEquals(List.of("Password for bob@host: "), prompts);
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void promptShowsIpv6HostInBrackets() {
        typed = "typed".toCharArray();
        resolve("ftp://bob@[::1]/", null, null);
        assertEquals(List.of("Password for bob@[::1]: "), prompts);
    }

    @Test
    void noConsoleIsAUsageError() {
        typed = null;
        UsageException e = assertThrows(UsageException.class, () -> resolve("ftp://bob@host/", null, null));
        assertEquals("no password for bob@host: set FTPDRIVE_PASSWORD, use --password-file or ~/.netrc",
                e.getMessage());
        assertEquals(List.of("Password for bob@host: "), prompts);
    }

    @Test
    void explicitAnonymousUserNeedsNoPrompt() {
        Resolved r = resolve("ftp://anonymous@host/", null, null);
        assertEquals(Credentials.anonymous(), r.credentials());
        assertEquals(List.of(), prompts);
        assertEquals("ftp", resolve("ftp://host/", "ftp", null).credentials().user());
    }

    @Test
    void lineBreaksInPasswordsAreRefused() throws IOException {
        env.put(CredentialSource.PASSWORD_ENV, "a\nQUIT");
        UsageException e = assertThrows(UsageException.class, () -> resolve("ftp://bob@host/", null, null));
        assertEquals("the password in FTPDRIVE_PASSWORD contains a CR, LF or NUL character", e.getMessage());
        assertFalse(e.getMessage().contains("QUIT"));

        env.clear();
        netrc("machine host login bob password \"a\nQUIT\"\n");
        e = assertThrows(UsageException.class, () -> resolve("ftp://bob@host/", null, null));
        assertEquals("the password in " + home.resolve(".netrc") + " contains a CR, LF or NUL character",
                e.getMessage());
    }

    @Test
    void resolvedWarningsAreImmutable() {
        Resolved r = resolve("ftp://host/", null, null);
        assertThrows(UnsupportedOperationException.class, () -> r.warnings().add("x"));
    }
}
