package io.tidings.connector.auth;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.session.SessionKicker;
import io.tidings.protocol.Ids;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Revokes a user's tokens: stores the revocation time in Redis (checked by every later Connect),
 * closes the user's sessions on this connector and publishes the revocation so that every other
 * connector closes its sessions of the user too.
 */
@ApplicationScoped
public class RevocationService {

    private final RevocationStore store;
    private final SessionKicker kicker;

    public RevocationService(RevocationStore store, SessionKicker kicker) {
        this.store = store;
        this.kicker = kicker;
    }

    /** Returns the number of sessions closed on this connector. */
    public Uni<Integer> revoke(String userId) {
        Ids.requireId("user_id", userId);
        // +1: a token issued in this very millisecond, before the call, is revoked too.
        long revokedBefore = System.currentTimeMillis() + 1;
        return store.revoke(userId, revokedBefore)
                .map(stored -> kicker.revokeLocal(userId, revokedBefore))
                .call(closed -> kicker.publishRevocation(userId, revokedBefore))
                .invoke(closed -> Log.infof("Revoked the tokens of userId=%s; closed %d sessions here", userId, closed));
    }
}
