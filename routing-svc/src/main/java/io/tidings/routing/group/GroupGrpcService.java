package io.tidings.routing.group;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.server.ChangeMembersRequest;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.server.DismissGroupRequest;
import io.tidings.protocol.server.GetMembersRequest;
import io.tidings.protocol.server.GroupReply;
import io.tidings.support.AppSecretInterceptor;
import io.tidings.support.GrpcErrors;
import java.util.function.Supplier;

/**
 * The server API GroupService for app backends, authenticated by the app secret. Group changes
 * wait for Redis locks and Kafka acks, so the calls run on worker threads.
 */
@GrpcService
@RegisterInterceptor(AppSecretInterceptor.class)
public class GroupGrpcService implements io.tidings.protocol.server.GroupService {

    private final GroupService groups;

    public GroupGrpcService(GroupService groups) {
        this.groups = groups;
    }

    @Override
    @Blocking
    public Uni<GroupReply> createGroup(CreateGroupRequest request) {
        return call(() -> groups.create(request));
    }

    @Override
    @Blocking
    public Uni<GroupReply> addMembers(ChangeMembersRequest request) {
        return call(() -> groups.addMembers(request));
    }

    @Override
    @Blocking
    public Uni<GroupReply> removeMembers(ChangeMembersRequest request) {
        return call(() -> groups.removeMembers(request));
    }

    @Override
    @Blocking
    public Uni<GroupReply> dismissGroup(DismissGroupRequest request) {
        return call(() -> groups.dismiss(request));
    }

    @Override
    @Blocking
    public Uni<GroupReply> getMembers(GetMembersRequest request) {
        return call(() -> groups.get(request.getGroupId()));
    }

    private static Uni<GroupReply> call(Supplier<GroupReply> operation) {
        return Uni.createFrom().item(operation).onFailure().transform(GrpcErrors::toStatus);
    }
}
