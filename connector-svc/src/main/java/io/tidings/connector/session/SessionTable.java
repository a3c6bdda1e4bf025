package io.tidings.connector.session;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of this connector in memory: every open socket by connection id, and the
 * CONNECTED sessions by user id for delivery, kicks and revocation.
 */
@ApplicationScoped
public class SessionTable {

    private final Map<String, ClientSession> byConnection = new ConcurrentHashMap<>();
    // Small immutable lists: most users have one to three sessions on one connector.
    private final Map<String, List<ClientSession>> byUser = new ConcurrentHashMap<>();

    public void opened(ClientSession session) {
        byConnection.put(session.connectionId(), session);
    }

    public ClientSession byConnection(String connectionId) {
        return byConnection.get(connectionId);
    }

    /** Indexes a session by its user once it is bound. */
    public void attach(ClientSession session) {
        byUser.compute(session.userId(), (user, list) -> {
            List<ClientSession> next = new ArrayList<>(list == null ? 1 : list.size() + 1);
            if (list != null) {
                next.addAll(list);
            }
            next.add(session);
            return List.copyOf(next);
        });
    }

    public void remove(ClientSession session) {
        byConnection.remove(session.connectionId(), session);
        if (session.userId() != null) {
            byUser.computeIfPresent(session.userId(), (user, list) -> {
                List<ClientSession> next = new ArrayList<>(list);
                next.remove(session);
                return next.isEmpty() ? null : List.copyOf(next);
            });
        }
    }

    /** Returns the attached sessions of a user, possibly empty. */
    public List<ClientSession> sessionsOf(String userId) {
        return byUser.getOrDefault(userId, List.of());
    }

    public ClientSession findBySessionId(String userId, String sessionId) {
        for (ClientSession session : sessionsOf(userId)) {
            if (sessionId.equals(session.sessionId())) {
                return session;
            }
        }
        return null;
    }

    /** Returns every open socket's session; a live view, safe to iterate while it changes. */
    public Collection<ClientSession> all() {
        return byConnection.values();
    }

    public int openSockets() {
        return byConnection.size();
    }
}
