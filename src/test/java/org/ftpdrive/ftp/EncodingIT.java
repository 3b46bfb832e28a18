package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.Credentials;
import org.ftpdrive.config.Endpoint;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.testing.TestRequirements;
import org.ftpdrive.testing.VsftpdServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose file names are not UTF-8: vsftpd passes the bytes on disk through unchanged, so a
 * name stored in windows-1252 reads correctly only with --encoding windows-1252.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EncodingIT {
    private static String sh(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, script + ": " + out);
        return out;
    }

    @Test
    void windows1252NamesRoundTrip(@TempDir Path state) throws Exception {
        try (VsftpdServer vsftpd = TestRequirements.startVsftpdOrSkip(state, VsftpdServer.Options.defaults())) {
            // "café.txt" in windows-1252: é is the single byte 0xE9 (octal 351)
            sh("printf 'bonjour' > \"$1/$(printf 'caf\\351.txt')\"", vsftpd.root().toString());
            vsftpd.handOver(vsftpd.root());
            ConnectionSettings settings = ConnectionSettings.builder(
                            new Endpoint(vsftpd.host(), vsftpd.port(), RemotePath.ROOT),
                            new Credentials(vsftpd.user(), vsftpd.password().toCharArray()))
                    .encoding(Charset.forName("windows-1252"))
                    .build();
            try (FtpRemoteStore store = FtpRemoteStore.connect(settings)) {
                List<String> names = store.list(RemotePath.ROOT).stream().map(RemoteEntry::name).toList();
                assertEquals(List.of("café.txt"), names);
                try (InputStream in = store.openRead(RemotePath.of("/café.txt"), 0)) {
                    assertEquals("bonjour", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
                }
                try (OutputStream out = store.openWrite(RemotePath.of("/naïve.txt"), false)) {
                    out.write('x');
                }
            }
            // "naïve" in windows-1252: 6e 61 ef 76 65
            String hex = sh("ls -1 \"$1\" | od -An -tx1", vsftpd.root().toString());
            assertTrue(hex.replaceAll("\\s+", " ").contains("6e 61 ef 76 65 2e 74 78 74"), hex);
        }
    }
}
