package io.tidings.connector.dev;

/**
 * The HTTP paths of the development aids: the web demo under {@value #DEMO}, the JavaScript client
 * module under {@value #CLIENT_MODULE} (both static resources in META-INF/resources) and the dev
 * endpoints under {@value #ENDPOINTS}.
 */
final class DevPaths {

    static final String DEMO = "/demo/";
    static final String CLIENT_MODULE = "/tidings-client/";
    static final String ENDPOINTS = "/dev/";

    private DevPaths() {
    }

    /** Action of the access filter for a request path. */
    enum Access {
        /** Not a dev path: pass it on. */
        OTHER,
        /** {@code /} or {@code /demo} without the slash: redirect to {@value #DEMO}. */
        REDIRECT_TO_DEMO,
        /** A path of the demo, the client module or the dev endpoints. */
        DEV
    }

    /** Classifies a normalized request path. */
    static Access classify(String path) {
        if (path.equals("/") || path.equals("/demo")) {
            return Access.REDIRECT_TO_DEMO;
        }
        if (path.startsWith(DEMO) || path.startsWith(CLIENT_MODULE) || path.startsWith(ENDPOINTS)
                || path.equals("/tidings-client") || path.equals("/dev")) {
            return Access.DEV;
        }
        return Access.OTHER;
    }
}
