package io.tidings.push.fake;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts the six fake providers on 127.0.0.1 and points push-svc at them. The credentials are
 * generated for this run: an APNs P-256 .p8 key, a Google service account with an RSA key, and a
 * self-signed TLS certificate for the APNs fake that only the test's trust store trusts. Also gives the
 * test a consumer group of its own, reading from the latest offsets, so that other engineers'
 * push-svc instances on the shared Kafka neither take nor replay its events.
 */
public class FakeProviders implements QuarkusTestResourceLifecycleManager {

    public static final String APNS_KEY_ID = "FAKEKEY123";
    public static final String APNS_TEAM_ID = "FAKETEAM45";
    public static final String FCM_PROJECT = "tidings-fake";
    public static final String FCM_CLIENT_EMAIL = "push@tidings-fake.iam.gserviceaccount.com";
    public static final String HUAWEI_APP_ID = "10203040";
    public static final String HUAWEI_SECRET = "huawei-client-secret";
    public static final String XIAOMI_SECRET = "xiaomi-app-secret==";
    public static final String OPPO_APP_KEY = "oppo-app-key";
    public static final String OPPO_MASTER_SECRET = "oppo-master-secret";
    public static final String VIVO_APP_ID = "10004";
    public static final String VIVO_APP_KEY = "25509283-3767-4b9e-83fe-b6e55ac6243e";
    public static final String VIVO_APP_SECRET = "vivo-app-secret";
    private static final String STORE_PASSWORD = "fake-store-password";

    private static Vertx vertx;
    private static FakeApns apns;
    private static FakeApns apnsSandbox;
    private static FakeFcm fcm;
    private static FakeHuawei huawei;
    private static FakeXiaomi xiaomi;
    private static FakeOppo oppo;
    private static FakeVivo vivo;

    public static FakeApns apns() {
        return apns;
    }

    public static FakeApns apnsSandbox() {
        return apnsSandbox;
    }

    public static FakeFcm fcm() {
        return fcm;
    }

    public static FakeHuawei huawei() {
        return huawei;
    }

    public static FakeXiaomi xiaomi() {
        return xiaomi;
    }

    public static FakeOppo oppo() {
        return oppo;
    }

    public static FakeVivo vivo() {
        return vivo;
    }

    public static List<FakeProviderServer> all() {
        return List.of(apns, apnsSandbox, fcm, huawei, xiaomi, oppo, vivo);
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("tidings-push-fakes");
            vertx = Vertx.vertx();
            Map<String, String> config = new HashMap<>();
            startApns(dir, config);
            startFcm(dir, config);
            startVendors(config);
            config.put("tidings.push.consumer.group-id", "tidings-push-test-" + UUID.randomUUID());
            config.put("tidings.push.consumer.auto-offset-reset", "latest");
            config.put("tidings.push.retry.initial-backoff", "100ms");
            config.put("tidings.push.retry.max-backoff", "1s");
            config.put("tidings.push.retry.max-attempts", "4");
            config.put("tidings.push.retry.max-retry-after", "10s");
            config.put("tidings.push.breaker.failure-threshold", "3");
            config.put("tidings.push.breaker.open-duration", "3s");
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("starting the fake push providers failed: " + e, e);
        }
    }

    private static void startApns(Path dir, Map<String, String> config) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        Path p8 = dir.resolve("AuthKey_" + APNS_KEY_ID + ".p8");
        Files.writeString(p8, pem(key.getPrivate()));

        Path serverStore = dir.resolve("apns-server.p12");
        Path certificate = dir.resolve("apns-server.der");
        Path trustStore = dir.resolve("apns-trust.p12");
        keytool("-genkeypair", "-alias", "fake-apns", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-validity", "2",
                "-keystore", serverStore.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", "fake-apns", "-keystore", serverStore.toString(),
                "-storepass", STORE_PASSWORD, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "fake-apns", "-file", certificate.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);

        apns = new FakeApns((ECPublicKey) key.getPublic(), APNS_KEY_ID, APNS_TEAM_ID, false);
        apnsSandbox = new FakeApns((ECPublicKey) key.getPublic(), APNS_KEY_ID, APNS_TEAM_ID, true);
        for (FakeApns fake : List.of(apns, apnsSandbox)) {
            fake.start(vertx, new HttpServerOptions()
                    .setSsl(true)
                    .setUseAlpn(true)
                    .setKeyCertOptions(new PfxOptions().setPath(serverStore.toString()).setPassword(STORE_PASSWORD)));
        }
        config.put("tidings.push.apns.key-file", p8.toString());
        config.put("tidings.push.apns.key-id", APNS_KEY_ID);
        config.put("tidings.push.apns.team-id", APNS_TEAM_ID);
        config.put("tidings.push.apns.production-url", apns.baseUrl());
        config.put("tidings.push.apns.sandbox-url", apnsSandbox.baseUrl());
        config.put("tidings.push.apns.trust-store-file", trustStore.toString());
        config.put("tidings.push.apns.trust-store-password", STORE_PASSWORD);
    }

    private static void startFcm(Path dir, Map<String, String> config) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        fcm = new FakeFcm((RSAPublicKey) key.getPublic(), FCM_CLIENT_EMAIL, FCM_PROJECT);
        fcm.start(vertx, new HttpServerOptions());
        JsonObject account = new JsonObject()
                .put("type", "service_account")
                .put("project_id", FCM_PROJECT)
                .put("private_key_id", "fake-key-id")
                .put("private_key", pem(key.getPrivate()))
                .put("client_email", FCM_CLIENT_EMAIL)
                .put("token_uri", fcm.tokenUri());
        Path file = dir.resolve("service-account.json");
        Files.writeString(file, account.encodePrettily());
        config.put("tidings.push.fcm.service-account-file", file.toString());
        config.put("tidings.push.fcm.base-url", fcm.baseUrl());
    }

    private static void startVendors(Map<String, String> config) {
        huawei = new FakeHuawei(HUAWEI_APP_ID, HUAWEI_SECRET);
        xiaomi = new FakeXiaomi(XIAOMI_SECRET);
        oppo = new FakeOppo(OPPO_APP_KEY, OPPO_MASTER_SECRET);
        vivo = new FakeVivo(VIVO_APP_ID, VIVO_APP_KEY, VIVO_APP_SECRET);
        for (FakeProviderServer fake : List.of(huawei, xiaomi, oppo, vivo)) {
            fake.start(vertx, new HttpServerOptions());
        }
        config.put("tidings.push.huawei.app-id", HUAWEI_APP_ID);
        config.put("tidings.push.huawei.client-secret", HUAWEI_SECRET);
        config.put("tidings.push.huawei.token-url", huawei.baseUrl() + FakeHuawei.TOKEN_PATH);
        config.put("tidings.push.huawei.base-url", huawei.baseUrl());
        config.put("tidings.push.xiaomi.app-secret", XIAOMI_SECRET);
        config.put("tidings.push.xiaomi.base-url", xiaomi.baseUrl());
        config.put("tidings.push.oppo.app-key", OPPO_APP_KEY);
        config.put("tidings.push.oppo.master-secret", OPPO_MASTER_SECRET);
        config.put("tidings.push.oppo.base-url", oppo.baseUrl());
        config.put("tidings.push.vivo.app-id", VIVO_APP_ID);
        config.put("tidings.push.vivo.app-key", VIVO_APP_KEY);
        config.put("tidings.push.vivo.app-secret", VIVO_APP_SECRET);
        config.put("tidings.push.vivo.base-url", vivo.baseUrl());
    }

    private static String pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
