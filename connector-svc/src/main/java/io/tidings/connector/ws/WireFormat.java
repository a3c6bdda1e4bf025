package io.tidings.connector.ws;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.tidings.protocol.v1.Frame;

/**
 * Encoding of frames on one WebSocket, chosen by the negotiated subprotocol: binary protobuf
 * ({@value #PROTO_SUBPROTOCOL}, the default when the client offers none) or proto3 JSON in text
 * frames ({@value #JSON_SUBPROTOCOL}).
 */
public enum WireFormat {
    PROTO,
    JSON;

    public static final String PROTO_SUBPROTOCOL = "tidings.v1.proto";
    public static final String JSON_SUBPROTOCOL = "tidings.v1.json";

    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    public static WireFormat ofSubprotocol(String subprotocol) {
        return JSON_SUBPROTOCOL.equals(subprotocol) ? JSON : PROTO;
    }

    public static Frame parseBinary(byte[] bytes) throws InvalidProtocolBufferException {
        return Frame.parseFrom(bytes);
    }

    public static Frame parseJson(String text) throws InvalidProtocolBufferException {
        Frame.Builder frame = Frame.newBuilder();
        JSON_PARSER.merge(text, frame);
        return frame.build();
    }

    public static String printJson(Frame frame) {
        try {
            return JSON_PRINTER.print(frame);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print, and Frame has none.
            throw new IllegalStateException("cannot print frame " + frame.getOpCase() + " as JSON", e);
        }
    }
}
