package io.tidings.connector.auth;

/** The claims of a token whose signature and expiry were checked. Times are ms since the epoch. */
public record VerifiedToken(String userId, long issuedAtMs, long expiresAtMs, String keyId) {
}
