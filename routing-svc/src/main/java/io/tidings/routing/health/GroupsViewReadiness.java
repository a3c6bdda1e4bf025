package io.tidings.routing.health;

import io.tidings.routing.group.GroupView;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the groups view has replayed the groups topic up to where it ended at start-up,
 * so membership replies are current.
 */
@Readiness
@ApplicationScoped
public class GroupsViewReadiness implements HealthCheck {

    private final GroupView view;

    public GroupsViewReadiness(GroupView view) {
        this.view = view;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("groups-view").status(view.caughtUp()).build();
    }
}
