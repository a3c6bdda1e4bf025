package io.tidings.connector.auth;

/** A new token and its expiry in ms since the epoch. */
public record IssuedToken(String token, long expiresAtMs) {
}
