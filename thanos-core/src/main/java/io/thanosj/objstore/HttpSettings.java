package io.thanosj.objstore;

import io.thanosj.model.ThanosException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Thanos's {@code http_config} block (exthttp.HTTPConfig), shared by the S3, GCS and Azure configs.
 * Go's transport knobs without a Java counterpart (expect_continue_timeout, tls_handshake_timeout,
 * disable_compression, max_idle_conns) are accepted and ignored, so existing configs keep working.
 */
record HttpSettings(
        Duration idleConnTimeout,
        Duration responseHeaderTimeout,
        boolean insecureSkipVerify,
        int maxConnsPerHost,
        String caFile,
        String certFile,
        String keyFile) {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    static HttpSettings parse(ConfigNode parent) {
        ConfigNode c = parent.child("http_config").allowOnly(
                "idle_conn_timeout", "response_header_timeout", "insecure_skip_verify", "tls_handshake_timeout",
                "expect_continue_timeout", "max_idle_conns", "max_idle_conns_per_host", "max_conns_per_host",
                "tls_config", "disable_compression");
        c.duration("tls_handshake_timeout", Duration.ofSeconds(10));
        c.duration("expect_continue_timeout", Duration.ofSeconds(1));
        c.bool("disable_compression", false);
        c.intValue("max_idle_conns", 100);
        int idlePerHost = c.intValue("max_idle_conns_per_host", 100);
        int perHost = c.intValue("max_conns_per_host", 0);
        ConfigNode tls = c.child("tls_config").allowOnly("ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify");
        if (!tls.string("server_name", "").isEmpty()) {
            throw tls.invalid("server_name", "overriding the TLS server name is not supported");
        }
        String cert = tls.string("cert_file", "");
        String key = tls.string("key_file", "");
        if (cert.isEmpty() != key.isEmpty()) {
            throw tls.invalid(cert.isEmpty() ? "key_file" : "cert_file", "cert_file and key_file must be set together");
        }
        return new HttpSettings(
                c.duration("idle_conn_timeout", Duration.ofSeconds(90)),
                c.duration("response_header_timeout", Duration.ofMinutes(2)),
                c.bool("insecure_skip_verify", false) || tls.bool("insecure_skip_verify", false),
                perHost > 0 ? perHost : Math.max(idlePerHost, 100),
                tls.string("ca_file", ""),
                cert,
                key);
    }

    static HttpSettings defaults() {
        return new HttpSettings(Duration.ofSeconds(90), Duration.ofMinutes(2), false, 100, "", "", "");
    }

    /** Trust managers for {@code ca_file}, or null for the JDK's defaults. */
    TrustManager[] trustManagers(String provider) {
        if (caFile.isEmpty()) {
            return null;
        }
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw ThanosException.badData("objstore config: " + provider + ": field http_config.tls_config.ca_file: read "
                    + caFile + ": " + e.getMessage());
        }
    }

    /** Key managers for a client certificate ({@code cert_file}, {@code key_file}), or null. */
    KeyManager[] keyManagers(String provider) {
        if (certFile.isEmpty()) {
            return null;
        }
        try {
            Collection<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(Path.of(certFile))) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            PrivateKey key = readPkcs8(Files.readString(Path.of(keyFile)), provider);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setKeyEntry("client", key, new char[0], chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            return kmf.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw ThanosException.badData("objstore config: " + provider + ": field http_config.tls_config: read client certificate "
                    + certFile + " and key " + keyFile + ": " + e.getMessage());
        }
    }

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private PrivateKey readPkcs8(String pem, String provider) throws GeneralSecurityException {
        Matcher m = PEM.matcher(pem);
        if (!m.find() || !m.group(1).equals("PRIVATE KEY")) {
            throw ThanosException.badData("objstore config: " + provider + ": field http_config.tls_config.key_file: "
                    + keyFile + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        List<String> algorithms = new ArrayList<>(List.of("RSA", "EC", "Ed25519"));
        GeneralSecurityException last = null;
        for (String alg : algorithms) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

}
