package io.tidings.history.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.TimeoutException;
import io.tidings.history.config.HistoryConfig;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.MembershipReply;
import io.tidings.protocol.internal.MembershipRequest;
import io.tidings.protocol.internal.RoutingService;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.support.GrpcErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Group membership from routing-svc ({@code RoutingService.GetMembership}), cached briefly so a
 * user paging through a group's history costs one call. A change of membership takes effect
 * here after at most the cache TTL. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class MembershipLookup {

    private static final int MAX_CACHED = 100_000;

    private final RoutingService routing;
    private final Duration timeout;
    private final Cache<MembershipRequest, MembershipReply> cache;

    public MembershipLookup(@GrpcClient("routing") RoutingService routing, HistoryConfig config) {
        this.routing = routing;
        this.timeout = config.query().membershipTimeout();
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(config.query().membershipCacheTtl())
                .maximumSize(MAX_CACHED)
                .build();
    }

    /** Returns the membership of a user in a group. */
    public MembershipReply membership(String groupId, String userId) {
        MembershipRequest request = MembershipRequest.newBuilder().setGroupId(groupId).setUserId(userId).build();
        MembershipReply cached = cache.getIfPresent(request);
        if (cached != null) {
            return cached;
        }
        MembershipReply reply = fetch(request);
        cache.put(request, reply);
        return reply;
    }

    private MembershipReply fetch(MembershipRequest request) {
        try {
            return routing.getMembership(request).await().atMost(timeout);
        } catch (TimeoutException e) {
            throw new TidingsException(ErrorCode.UNAVAILABLE, "routing-svc did not respond to GetMembership for user "
                    + request.getUserId() + " in group " + request.getGroupId() + " within " + timeout.toMillis()
                    + " ms; retry later", e);
        } catch (RuntimeException e) {
            TidingsException failure = GrpcErrors.fromStatus(e);
            throw new TidingsException(failure.code(), "GetMembership for user " + request.getUserId()
                    + " in group " + request.getGroupId() + " failed: " + failure.getMessage(), e);
        }
    }
}
