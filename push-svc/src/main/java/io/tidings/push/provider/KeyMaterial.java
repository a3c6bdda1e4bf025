package io.tidings.push.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Loading of provider keys and trust stores from configuration. */
public final class KeyMaterial {

    private KeyMaterial() {
    }

    /**
     * Parses a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----"), as in an APNs .p8 file
     * (algorithm EC) or a Google service account (algorithm RSA).
     */
    public static PrivateKey privateKeyFromPem(String pem, String algorithm) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        if (base64.isEmpty()) {
            throw new GeneralSecurityException("the PEM text holds no PRIVATE KEY block");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the PEM text is not valid base64", e);
        }
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** Builds a TLS context that trusts exactly the certificates in a PKCS#12 trust store. */
    public static SSLContext trustingOnly(String trustStoreFile, String password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(trustStoreFile))) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** Returns the inline value if set, else the content of the file, else null. */
    public static String inlineOrFile(java.util.Optional<String> inline, java.util.Optional<String> file)
            throws IOException {
        if (inline.isPresent() && !inline.get().isBlank()) {
            return inline.get();
        }
        if (file.isPresent() && !file.get().isBlank()) {
            return Files.readString(Path.of(file.get()));
        }
        return null;
    }
}
