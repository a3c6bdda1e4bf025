package io.tidings.connector.dev;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.ops.Backends;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.server.GroupReply;
import io.tidings.protocol.server.MutinyGroupServiceGrpc;
import jakarta.enterprise.context.ApplicationScoped;

/** Creates groups for the dev endpoint through routing-svc's GroupService with the app secret. */
@ApplicationScoped
public class DevGroups {

    private final MutinyGroupServiceGrpc.MutinyGroupServiceStub groups;
    private final Backends backends;

    public DevGroups(@GrpcClient("routing") MutinyGroupServiceGrpc.MutinyGroupServiceStub groups,
            ServerApiCredentials credentials, Backends backends) {
        this.groups = groups.withInterceptors(credentials.interceptor());
        this.backends = backends;
    }

    /** Creates the group, or returns it unchanged when the same call was made before. */
    public Uni<GroupReply> create(CreateGroupRequest request) {
        return backends.call("routing GroupService", groups.createGroup(request))
                .invoke(reply -> Log.infof("Dev endpoint created group %s owned by %s with %d members",
                        reply.getGroupId(), reply.getOwnerId(), reply.getMembersCount()));
    }
}
