package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FtpFeaturesTest {
    @Test
    void vsftpdOffersNoMachineListings() {
        // FEAT reply of vsftpd 3.0.3 (Debian 12)
        FtpFeatures f = FtpFeatures.parse(new String[] {
            "211-Features:", " EPRT", " EPSV", " MDTM", " PASV", " REST STREAM", " SIZE", " TVFS", "211 End"});
        assertTrue(f.epsv());
        assertTrue(f.mdtm());
        assertTrue(f.restStream());
        assertFalse(f.mlsd());
        assertFalse(f.mlst());
        assertFalse(f.mfmt());
        assertFalse(f.utf8());
    }

    @Test
    void minaOffersMlstAndMfmt() {
        // FEAT reply of Apache MINA FtpServer 1.2.1
        FtpFeatures f = FtpFeatures.parse(new String[] {
            "211-Extensions supported", "SIZE", "MDTM", "REST STREAM", "LANG en;zh-tw;ja;is", "MLST Size;Modify;Type;Perm",
            "AUTH SSL", "AUTH TLS", "UTF8", "EPRT", "EPSV", "MFMT", "211 End"});
        assertTrue(f.mlsd());
        assertTrue(f.mlst());
        assertTrue(f.mfmt());
        assertTrue(f.utf8());
        assertTrue(f.has("lang"));
        assertFalse(f.has("Size;Modify;Type;Perm"));
    }
}
