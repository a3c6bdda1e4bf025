package io.tidings.push.provider.fcm;

import io.tidings.push.provider.KeyMaterial;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;

/** The fields of a Google service account JSON key file that the OAuth 2.0 JWT grant needs. */
record GoogleServiceAccount(String projectId, String clientEmail, String privateKeyId, RSAPrivateKey privateKey,
        String tokenUri) {

    static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

    static GoogleServiceAccount parse(String json) {
        JsonObject object;
        try {
            object = new JsonObject(json);
        } catch (DecodeException e) {
            throw new IllegalArgumentException("the service account key is not JSON: " + e.getMessage(), e);
        }
        String projectId = required(object, "project_id");
        String clientEmail = required(object, "client_email");
        String pem = required(object, "private_key");
        try {
            RSAPrivateKey key = (RSAPrivateKey) KeyMaterial.privateKeyFromPem(pem, "RSA");
            return new GoogleServiceAccount(projectId, clientEmail, object.getString("private_key_id", ""), key,
                    object.getString("token_uri", DEFAULT_TOKEN_URI));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("the service account private_key is not an RSA PKCS#8 key: "
                    + e.getMessage(), e);
        }
    }

    private static String required(JsonObject object, String field) {
        String value = object.getString(field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the service account key has no " + field);
        }
        return value;
    }
}
