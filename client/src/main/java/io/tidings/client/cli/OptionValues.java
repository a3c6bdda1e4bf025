package io.tidings.client.cli;

import io.tidings.protocol.Ids;
import io.tidings.protocol.v1.Platform;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters that check option values while picocli parses, so a bad value fails as a usage
 * error (exit 2) before anything connects. Picocli prefixes each message with
 * "Invalid value for option '--NAME': ".
 */
final class OptionValues {

    private OptionValues() {
    }

    /** A user or group id: the server's rule, 1..64 characters of A-Z a-z 0-9 _ . @ -. */
    static final class Id implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!Ids.isValidId(value)) {
                throw new TypeConversionException("'" + value + "' must be 1..64 characters of A-Z a-z 0-9 _ . @ -");
            }
            return value;
        }
    }

    /** A device id: 1..128 characters of A-Z a-z 0-9 _ . @ : -. */
    static final class DeviceId implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return Ids.requireDeviceId(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' must be 1..128 characters of A-Z a-z 0-9 _ . @ : -");
            }
        }
    }

    /** A client message id: 1..64 characters and no control characters, as routing-svc requires. */
    static final class ClientMessageId implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isEmpty() || value.length() > 64) {
                throw new TypeConversionException("'" + value + "' has " + value.length()
                        + " characters: use 1..64");
            }
            if (value.chars().anyMatch(Character::isISOControl)) {
                throw new TypeConversionException("'" + MessageContent.escapeControlCharacters(value)
                        + "' contains a control character: use printable characters");
            }
            return value;
        }
    }

    static final class PlatformName implements ITypeConverter<Platform> {
        @Override
        public Platform convert(String value) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "ios":
                    return Platform.IOS;
                case "android":
                    return Platform.ANDROID;
                case "web":
                    return Platform.WEB;
                case "desktop":
                    return Platform.DESKTOP;
                default:
                    throw new TypeConversionException("'" + value + "' is not a platform: use ios, android, web or desktop");
            }
        }
    }

    /** The WebSocket URL of connector-svc. */
    static final class WebSocketUrl implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            URI url;
            try {
                url = new URI(value);
            } catch (URISyntaxException e) {
                throw new TypeConversionException("'" + value + "' is not a URL (" + e.getReason()
                        + "): use ws://HOST:PORT/ws, for example ws://127.0.0.1:7100/ws");
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                throw new TypeConversionException("'" + value + "' is not a ws:// or wss:// URL:"
                        + " use ws://HOST:PORT/ws, for example ws://127.0.0.1:7100/ws");
            }
            if (url.getHost() == null) {
                throw new TypeConversionException("'" + value + "' has no host: use ws://HOST:PORT/ws,"
                        + " for example ws://127.0.0.1:7100/ws");
            }
            return url;
        }
    }

    /** HOST:PORT of a gRPC server; an IPv6 host goes in brackets, as in [::1]:7100. */
    static final class Address implements ITypeConverter<ServerAddress> {
        @Override
        public ServerAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            String host = colon > 0 ? value.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(value.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (host.isEmpty() || host.contains("/") || port < 1 || port > 65535) {
                throw new TypeConversionException("'" + value + "' is not HOST:PORT with a port of 1..65535,"
                        + " for example 127.0.0.1:7100");
            }
            return new ServerAddress(host, port);
        }
    }

    static final class NonNegativeLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long number = parseLong(value);
            if (number < 0) {
                throw new TypeConversionException("'" + value + "' is negative: use 0 or more");
            }
            return number;
        }
    }

    static final class PositiveLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long number = parseLong(value);
            if (number < 1) {
                throw new TypeConversionException("'" + value + "' is too small: use 1 or more");
            }
            return number;
        }
    }

    /** A history page size, 1..100 as HistoryRequest.count allows. */
    static final class PageSize implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long number = parseLong(value);
            if (number < 1 || number > 100) {
                throw new TypeConversionException("'" + value + "' is out of range: use 1..100");
            }
            return (int) number;
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    /** A host and port of a gRPC server. */
    static final class ServerAddress {
        final String host;
        final int port;

        ServerAddress(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
