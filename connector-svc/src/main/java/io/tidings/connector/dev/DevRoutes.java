package io.tidings.connector.dev;

import io.quarkus.logging.Log;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.server.CreateGroupRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The dev endpoints, registered only when {@code tidings.connector.dev.enabled} is true. Thin
 * adapters from JSON over HTTP to the server API:
 * <ul>
 *   <li>{@code POST /dev/token {"userId"}} returns {@code {"userId", "token", "expiresAt"}} from
 *       AuthService.IssueToken;
 *   <li>{@code POST /dev/groups {"groupId", "name", "owner", "members"}} returns the group from
 *       GroupService.CreateGroup: {@code {"groupId", "name", "owner", "members", "version"}}.
 * </ul>
 * Failures return {@code {"code", "message"}} with an ErrorCode name and a matching HTTP status.
 */
@ApplicationScoped
public class DevRoutes {

    /** Dev requests are a few short ids; anything larger is a mistake. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final DevConfig config;
    private final DevTokens tokens;
    private final DevGroups groups;

    public DevRoutes(DevConfig config, DevTokens tokens, DevGroups groups) {
        this.config = config;
        this.tokens = tokens;
        this.groups = groups;
    }

    void register(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        // No file uploads: BodyHandler would otherwise create an upload directory.
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post(DevPaths.ENDPOINTS + "token").handler(body).handler(this::issueToken);
        router.post(DevPaths.ENDPOINTS + "groups").handler(body).handler(this::createGroup);
        Log.infof("Dev endpoints registered: POST %stoken, POST %sgroups", DevPaths.ENDPOINTS, DevPaths.ENDPOINTS);
    }

    void issueToken(RoutingContext context) {
        String userId;
        try {
            userId = DevHttp.requiredString(DevHttp.body(context), "userId");
        } catch (TidingsException e) {
            DevHttp.fail(context, e);
            return;
        }
        int ownPort = context.request().localAddress().port();
        tokens.issue(userId, ownPort).subscribe().with(
                reply -> DevHttp.ok(context, new JsonObject()
                        .put("userId", userId)
                        .put("token", reply.getToken())
                        .put("expiresAt", reply.getExpiresAt())),
                failure -> DevHttp.fail(context, failure));
    }

    void createGroup(RoutingContext context) {
        CreateGroupRequest request;
        try {
            JsonObject body = DevHttp.body(context);
            request = CreateGroupRequest.newBuilder()
                    .setGroupId(DevHttp.requiredString(body, "groupId"))
                    .setName(DevHttp.requiredString(body, "name"))
                    .setOwnerId(DevHttp.requiredString(body, "owner"))
                    .addAllMemberIds(DevHttp.stringList(body, "members"))
                    .build();
        } catch (TidingsException e) {
            DevHttp.fail(context, e);
            return;
        }
        groups.create(request).subscribe().with(
                reply -> {
                    JsonArray members = new JsonArray();
                    reply.getMembersList().forEach(member -> members.add(member.getUserId()));
                    DevHttp.ok(context, new JsonObject()
                            .put("groupId", reply.getGroupId())
                            .put("name", reply.getName())
                            .put("owner", reply.getOwnerId())
                            .put("members", members)
                            .put("version", reply.getVersion()));
                },
                failure -> DevHttp.fail(context, failure));
    }
}
