package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where secret values go: into Secrets and secretKeyRef env entries, never into ConfigMaps. */
class SecretsTest {

    private static final String APP_SECRET = "app-secret-value-7f3a9c2e41";
    private static final String TOKEN_KEY = "dG9rZW4tc2lnbmluZy1rZXktdmFsdWUtNWI4ZDBlLTAxMjM0NQ==";
    private static final String REDIS_PASSWORD = "redis-password-value-c4e2";
    private static final String KAFKA_JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule"
            + " required username=\"tidings\" password=\"kafka-password-value-91ab\";";
    private static final String APNS_KEY = "-----BEGIN PRIVATE KEY-----\napns-key-value-33\n-----END PRIVATE KEY-----";
    private static final String FCM_JSON = "{\"private_key\": \"fcm-key-value-72\"}";
    private static final String HUAWEI_SECRET = "huawei-secret-value-18";
    private static final String XIAOMI_SECRET = "xiaomi-secret-value-29";
    private static final String OPPO_SECRET = "oppo-secret-value-40";
    private static final String VIVO_SECRET = "vivo-secret-value-51";

    private static final List<String> SECRET_VALUES = List.of(APP_SECRET, TOKEN_KEY, REDIS_PASSWORD, KAFKA_JAAS,
            APNS_KEY, FCM_JSON, HUAWEI_SECRET, XIAOMI_SECRET, OPPO_SECRET, VIVO_SECRET);
    /** Fragments that identify each value even where YAML re-encodes quotes or line breaks. */
    private static final List<String> SECRET_MARKERS = List.of("app-secret-value", "dG9rZW4tc2lnbmluZy1rZXktdmFsdWUt",
            "redis-password-value", "kafka-password-value", "apns-key-value", "fcm-key-value",
            "huawei-secret-value", "xiaomi-secret-value", "oppo-secret-value", "vivo-secret-value");
    /** The environment variables that carry secrets. */
    private static final Set<String> SECRET_ENV = Set.of("TIDINGS_SERVER_API_APP_SECRET",
            "TIDINGS_CONNECTOR_TOKEN_KEYS_K1", "QUARKUS_REDIS_PASSWORD", "KAFKA_SASL_JAAS_CONFIG",
            "TIDINGS_PUSH_APNS_KEY", "TIDINGS_PUSH_FCM_SERVICE_ACCOUNT_JSON", "TIDINGS_PUSH_HUAWEI_CLIENT_SECRET",
            "TIDINGS_PUSH_XIAOMI_APP_SECRET", "TIDINGS_PUSH_OPPO_MASTER_SECRET", "TIDINGS_PUSH_VIVO_APP_SECRET");

    private static Manifests renderWithAllSecrets() {
        return TidingsChart.renderWith("""
                serverApi:
                  appSecret: %s
                connector:
                  tokenSigning:
                    keys:
                      k1: %s
                redis:
                  password: %s
                kafka:
                  securityProtocol: SASL_SSL
                  sasl:
                    jaasConfig: '%s'
                push:
                  credentials:
                    apnsKey: |
                      %s
                    fcmServiceAccountJson: '%s'
                    huaweiClientSecret: %s
                    xiaomiAppSecret: %s
                    oppoMasterSecret: %s
                    vivoAppSecret: %s
                grafanaDashboard:
                  enabled: true
                """.formatted(APP_SECRET, TOKEN_KEY, REDIS_PASSWORD, KAFKA_JAAS,
                APNS_KEY.replace("\n", "\n      "), FCM_JSON, HUAWEI_SECRET, XIAOMI_SECRET, OPPO_SECRET,
                VIVO_SECRET));
    }

    @Test
    void secretValuesNeverInConfigMaps() {
        Manifests manifests = renderWithAllSecrets();

        List<JsonNode> configMaps = manifests.ofKind("ConfigMap");
        assertThat(configMaps).hasSizeGreaterThanOrEqualTo(TidingsChart.COMPONENTS.size());
        for (JsonNode configMap : configMaps) {
            Map<String, String> data = Manifests.stringMap(configMap.path("data"));
            for (Map.Entry<String, String> entry : data.entrySet()) {
                for (String marker : SECRET_MARKERS) {
                    assertThat(entry.getValue())
                            .as("ConfigMap %s key %s", Manifests.name(configMap), entry.getKey())
                            .doesNotContain(marker);
                    assertThat(entry.getKey()).doesNotContain(marker);
                }
            }
            assertThat(data.keySet()).as("ConfigMap %s", Manifests.name(configMap)).doesNotContainAnyElementsOf(SECRET_ENV);
        }
    }

    @Test
    void secretValuesNeverInPlainEnv() {
        Manifests manifests = renderWithAllSecrets();

        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            for (JsonNode entry : Manifests.container(deployment).path("env")) {
                String value = entry.path("value").asText();
                for (String marker : SECRET_MARKERS) {
                    assertThat(value).as("%s env %s", Manifests.name(deployment), entry.path("name").asText())
                            .doesNotContain(marker);
                }
                if (SECRET_ENV.contains(entry.path("name").asText())) {
                    assertThat(entry.at("/valueFrom/secretKeyRef/name").asText())
                            .as("%s env %s", Manifests.name(deployment), entry.path("name").asText())
                            .isNotEmpty();
                }
            }
        }
    }

    @Test
    void secretValuesLandInSecrets() {
        Manifests manifests = renderWithAllSecrets();

        List<String> decoded = new ArrayList<>();
        for (JsonNode secret : manifests.ofKind("Secret")) {
            Manifests.stringMap(secret.path("data")).values().forEach(value ->
                    decoded.add(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8).strip()));
        }

        assertThat(decoded).containsAll(SECRET_VALUES);
    }

    /**
     * Lists each Secret group with its values key, the overrides, the chart's own Secret, the env
     * entry, the key it reads from the user's Secret and the components that read it.
     */
    static Stream<Arguments> existingSecrets() {
        return Stream.of(
                Arguments.of("serverApi", """
                        serverApi:
                          existingSecret: my-secret
                          existingSecretKey: my-key
                        """, "server-api", "TIDINGS_SERVER_API_APP_SECRET", "my-key",
                        List.of("connector", "routing", "history", "push")),
                Arguments.of("connector.tokenSigning", """
                        connector:
                          tokenSigning:
                            activeKeyId: k7
                            keyIds: [k7]
                            existingSecret: my-secret
                        """, "token-signing", "TIDINGS_CONNECTOR_TOKEN_KEYS_K7", "k7", List.of("connector")),
                Arguments.of("redis", """
                        redis:
                          password: ignored-because-existing-secret-wins
                          existingSecret: my-secret
                          existingSecretPasswordKey: my-key
                        """, "redis", "QUARKUS_REDIS_PASSWORD", "my-key",
                        List.of("connector", "routing", "offline", "push")),
                Arguments.of("kafka.sasl", """
                        kafka:
                          securityProtocol: SASL_PLAINTEXT
                          sasl:
                            existingSecret: my-secret
                            existingSecretKey: my-key
                        """, "kafka-sasl", "KAFKA_SASL_JAAS_CONFIG", "my-key", TidingsChart.COMPONENTS),
                Arguments.of("push.credentials", """
                        push:
                          credentials:
                            existingSecret: my-secret
                        """, "push", "TIDINGS_PUSH_APNS_KEY", "apns-key", List.of("push")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("existingSecrets")
    void existingSecretReplacesChartSecret(String group, String overrides, String chartSecretSuffix,
            String envName, String secretKey, List<String> readers) {
        Manifests manifests = TidingsChart.renderWith(overrides);

        assertThat(manifests.find("Secret", TidingsChart.FULLNAME + "-" + chartSecretSuffix)).isEmpty();
        for (String component : TidingsChart.COMPONENTS) {
            JsonNode entry = Manifests.env(Manifests.container(manifests.deployment(component))).get(envName);
            if (readers.contains(component)) {
                assertThat(entry).as("%s env %s", component, envName).isNotNull();
                assertThat(entry.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("my-secret");
                assertThat(entry.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo(secretKey);
            } else {
                assertThat(entry).as("%s env %s", component, envName).isNull();
            }
        }
    }

    @Test
    void tokenKeysRotateById() {
        Manifests manifests = TidingsChart.renderWith("""
                connector:
                  tokenSigning:
                    activeKeyId: k2
                    keyIds: [k1, k2]
                    keys:
                      k1: %s
                """.formatted(TOKEN_KEY));

        JsonNode secret = manifests.get("Secret", TidingsChart.FULLNAME + "-token-signing");
        assertThat(Manifests.stringMap(secret.path("data")).keySet()).containsExactly("k1", "k2");
        assertThat(decodedSecret(manifests, "token-signing", "k1")).isEqualTo(TOKEN_KEY);
        assertThat(Base64.getDecoder().decode(decodedSecret(manifests, "token-signing", "k2"))).hasSize(32);
        Map<String, JsonNode> env = Manifests.env(Manifests.container(manifests.deployment("connector")));
        assertThat(env).containsKeys("TIDINGS_CONNECTOR_TOKEN_KEYS_K1", "TIDINGS_CONNECTOR_TOKEN_KEYS_K2");
        assertThat(manifests.configEnv("connector")).containsEntry("TIDINGS_CONNECTOR_TOKEN_ACTIVE_KEY_ID", "k2");
    }

    @Test
    void activeKeyOutsideKeyIdsIsRejected() {
        assertThatThrownBy(() -> TidingsChart.renderWith("""
                connector:
                  tokenSigning:
                    activeKeyId: k2
                    keyIds: [k1]
                """)).hasMessageContaining("connector.tokenSigning.activeKeyId \"k2\" is not one of");
    }

    @Test
    void keyIdWithDashIsRejected() {
        assertThatThrownBy(() -> TidingsChart.renderWith("""
                connector:
                  tokenSigning:
                    activeKeyId: key-1
                    keyIds: [key-1]
                """)).hasMessageContaining("/connector/tokenSigning/activeKeyId");
    }

    @Test
    void pushCredentialsAreOptionalKeys() {
        Manifests manifests = TidingsChart.renderWith("""
                push:
                  credentials:
                    xiaomiAppSecret: only-xiaomi-is-configured
                """);

        JsonNode secret = manifests.get("Secret", TidingsChart.FULLNAME + "-push");
        assertThat(Manifests.stringMap(secret.path("data")).keySet()).containsExactly("xiaomi-app-secret");
        Map<String, JsonNode> env = Manifests.env(Manifests.container(manifests.deployment("push")));
        assertThat(env.get("TIDINGS_PUSH_APNS_KEY").at("/valueFrom/secretKeyRef/optional").asBoolean()).isTrue();
        assertThat(env.get("TIDINGS_PUSH_XIAOMI_APP_SECRET").at("/valueFrom/secretKeyRef/key").asText())
                .isEqualTo("xiaomi-app-secret");
    }

    @Test
    void generatedAppSecretIsLongEnough() {
        Manifests manifests = TidingsChart.render();

        String appSecret = decodedSecret(manifests, "server-api", "app-secret");
        String tokenKey = decodedSecret(manifests, "token-signing", "k1");
        assertThat(appSecret).hasSizeGreaterThanOrEqualTo(16);
        // connector-svc decodes each key from base64 and needs at least 32 bytes for HS256.
        assertThat(Base64.getDecoder().decode(tokenKey)).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void upgradeKeepsGeneratedSecrets() {
        FakeKubernetesApi api = FakeKubernetesApi.shared();
        String appSecretName = TidingsChart.FULLNAME + "-server-api";
        String tokenSecretName = TidingsChart.FULLNAME + "-token-signing";
        api.putSecret(TidingsChart.NAMESPACE, appSecretName, Map.of("app-secret", "stored-app-secret-from-install"));
        api.putSecret(TidingsChart.NAMESPACE, tokenSecretName, Map.of("k1", "c3RvcmVkLXRva2VuLWtleS1mcm9tLWluc3RhbGwtMDEyMzQ1Njc4OQ=="));
        try {
            Manifests manifests = TidingsChart.render();

            assertThat(decodedSecret(manifests, "server-api", "app-secret")).isEqualTo("stored-app-secret-from-install");
            assertThat(decodedSecret(manifests, "token-signing", "k1"))
                    .isEqualTo("c3RvcmVkLXRva2VuLWtleS1mcm9tLWluc3RhbGwtMDEyMzQ1Njc4OQ==");
        } finally {
            api.removeSecret(TidingsChart.NAMESPACE, appSecretName);
            api.removeSecret(TidingsChart.NAMESPACE, tokenSecretName);
        }
    }

    @Test
    void shortAppSecretIsRejected() {
        assertThatThrownBy(() -> TidingsChart.renderWith("""
                serverApi:
                  appSecret: too-short
                """)).hasMessageContaining("serverApi.appSecret is 9 characters long");
    }

    @Test
    void saslWithoutJaasIsRejected() {
        assertThatThrownBy(() -> TidingsChart.renderWith("""
                kafka:
                  securityProtocol: SASL_SSL
                """)).hasMessageContaining("kafka.sasl.jaasConfig or kafka.sasl.existingSecret is required");
    }

    private static String decodedSecret(Manifests manifests, String suffix, String key) {
        JsonNode secret = manifests.get("Secret", TidingsChart.FULLNAME + "-" + suffix);
        return new String(Base64.getDecoder().decode(secret.path("data").path(key).asText()), StandardCharsets.UTF_8);
    }
}
