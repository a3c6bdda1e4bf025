package io.tidings.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tidings.protocol.server.ChangeMembersRequest;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.v1.ErrorCode;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** token and group against {@link FakeServerApi}: requests sent, app secret, output and exit codes. */
class ServerApiCommandsTest {

    private static final Map<String, String> SECRET_IN_ENVIRONMENT = Map.of("TIDINGS_APP_SECRET", FakeServerApi.APP_SECRET);

    private FakeServerApi api;

    @BeforeEach
    void startServer() throws IOException {
        api = new FakeServerApi();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        api.close();
    }

    @Test
    void tokenPrintsTokenAlone() {
        CliRun run = CliRun.run(SECRET_IN_ENVIRONMENT, "token", "--server", api.address(), "--user", "alice", "--ttl", "600");

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        assertEquals(FakeServerApi.TOKEN + "\n", run.out);
        assertEquals("", run.err);
        assertEquals("alice", api.tokenRequests.get(0).getUserId());
        assertEquals(600, api.tokenRequests.get(0).getTtlSeconds());
    }

    @Test
    void tokenJsonHasExpiry() {
        CliRun run = CliRun.run("token", "--json", "--server", api.address(), "--app-secret", FakeServerApi.APP_SECRET,
                "--user", "alice");

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        JsonObject reply = JsonParser.parseString(run.out).getAsJsonObject();
        assertEquals(FakeServerApi.TOKEN, reply.get("token").getAsString());
        assertEquals(Long.toString(FakeServerApi.EXPIRES_AT), reply.get("expiresAt").getAsString());
        assertEquals(0, api.tokenRequests.get(0).getTtlSeconds(), "no --ttl must ask for the server's default");
    }

    @Test
    void optionSecretOverridesEnvironment() {
        CliRun run = CliRun.run(Map.of("TIDINGS_APP_SECRET", "stale-secret"), "token", "--server", api.address(),
                "--app-secret", FakeServerApi.APP_SECRET, "--user", "alice");

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
    }

    @Test
    void wrongSecretExitsThree() {
        CliRun run = CliRun.run("token", "--server", api.address(), "--app-secret", "wrong", "--user", "alice");

        assertEquals(ExitCodes.AUTHENTICATION, run.exitCode, run.toString());
        assertTrue(run.err.startsWith("tidings-cli: UNAUTHENTICATED: AuthService.IssueToken at " + api.address()
                + " failed: missing or wrong app secret"), run.err);
        assertEquals("", run.out);
    }

    @Test
    void unreachableServerExitsFive() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CliRun run = CliRun.run(SECRET_IN_ENVIRONMENT, "token", "--server", "127.0.0.1:" + closedPort, "--user", "alice");

        assertEquals(ExitCodes.UNREACHABLE, run.exitCode, run.toString());
        assertTrue(run.err.startsWith("tidings-cli: UNAVAILABLE: AuthService.IssueToken at 127.0.0.1:" + closedPort
                + " failed: "), run.err);
    }

    @Test
    void groupCreateSendsRequestAndPrintsGroup() {
        CliRun run = CliRun.run(SECRET_IN_ENVIRONMENT, "group", "create", "--server", api.address(), "--id", "team",
                "--name", "The team", "--owner", "alice", "--members", "bob,carol", "--members", "dave");

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        CreateGroupRequest request = api.createRequests.get(0);
        assertEquals("team", request.getGroupId());
        assertEquals("The team", request.getName());
        assertEquals("alice", request.getOwnerId());
        assertEquals(List.of("bob", "carol", "dave"), request.getMemberIdsList());
        assertEquals("group=team name=\"The team\" owner=alice version=1 members=alice,bob,carol,dave\n", run.out);
    }

    @Test
    void groupCreateJsonIsGroupReply() {
        CliRun run = CliRun.run(SECRET_IN_ENVIRONMENT, "--json", "group", "create", "--server", api.address(),
                "--id", "team", "--name", "Team", "--owner", "alice");

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        JsonObject group = JsonParser.parseString(run.out).getAsJsonObject();
        assertEquals("team", group.get("groupId").getAsString());
        assertEquals("1", group.get("version").getAsString());
        assertEquals("alice", group.getAsJsonArray("members").get(0).getAsJsonObject().get("userId").getAsString());
        assertTrue(api.createRequests.get(0).getMemberIdsList().isEmpty());
    }

    @Test
    void groupCreateConflictExitsFour() {
        api.failWith(ErrorCode.ALREADY_EXISTS);

        CliRun run = CliRun.run(SECRET_IN_ENVIRONMENT, "group", "create", "--server", api.address(), "--id", "team",
                "--name", "Team", "--owner", "alice");

        assertEquals(ExitCodes.REJECTED, run.exitCode, run.toString());
        assertTrue(run.err.startsWith("tidings-cli: ALREADY_EXISTS: GroupService.CreateGroup at " + api.address()
                + " failed: group 'team' already exists with owner 'someone-else'"), run.err);
    }

    @Test
    void groupAddSendsMembersAndOperator() {
        CliRun run = CliRun.run(SECRET_IN_ENVIRONMENT, "group", "add", "--server", api.address(), "--id", "team",
                "--members", "erin,frank", "--operator", "alice");

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        ChangeMembersRequest request = api.addRequests.get(0);
        assertEquals("team", request.getGroupId());
        assertEquals(List.of("erin", "frank"), request.getMemberIdsList());
        assertEquals("alice", request.getOperatorId());
        assertEquals("group=team name=\"Team\" owner=owner version=2 members=owner,erin,frank\n", run.out);
    }

    @Test
    void groupAddToMissingGroupExitsFour() {
        api.failWith(ErrorCode.GROUP_NOT_FOUND);

        CliRun run = CliRun.run(Map.of("TIDINGS_APP_SECRET", FakeServerApi.APP_SECRET), "--json", "group", "add",
                "--server", api.address(), "--id", "nope", "--members", "erin");

        assertEquals(ExitCodes.REJECTED, run.exitCode, run.toString());
        JsonObject error = JsonParser.parseString(run.err).getAsJsonObject().getAsJsonObject("error");
        assertEquals("GROUP_NOT_FOUND", error.get("code").getAsString());
        assertEquals("", api.addRequests.get(0).getOperatorId());
    }
}
