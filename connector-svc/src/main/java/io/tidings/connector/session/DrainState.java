package io.tidings.connector.session;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this connector is shutting down, and how many client requests and deliveries are in
 * flight, so that graceful shutdown can wait for them.
 */
@ApplicationScoped
public class DrainState {

    private volatile boolean draining;
    private final AtomicInteger inFlight = new AtomicInteger();

    public boolean isDraining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }

    public void begin() {
        inFlight.incrementAndGet();
    }

    public void end() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
