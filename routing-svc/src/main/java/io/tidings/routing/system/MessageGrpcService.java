package io.tidings.routing.system;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.server.MessageService;
import io.tidings.protocol.server.SystemMessageRequest;
import io.tidings.protocol.v1.SendAck;
import io.tidings.support.AppSecretInterceptor;
import io.tidings.support.GrpcErrors;

/** The server API MessageService for app backends, authenticated by the app secret. */
@GrpcService
@RegisterInterceptor(AppSecretInterceptor.class)
public class MessageGrpcService implements MessageService {

    private final SystemMessageService systemMessages;

    public MessageGrpcService(SystemMessageService systemMessages) {
        this.systemMessages = systemMessages;
    }

    @Override
    public Uni<SendAck> sendSystemMessage(SystemMessageRequest request) {
        return systemMessages.send(request).onFailure().transform(GrpcErrors::toStatus);
    }
}
