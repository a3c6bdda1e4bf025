package io.tidings.testsupport;

/** A server that {@code scripts/infra.sh} can start, named as the script names it. */
public enum Server {
    REDIS("redis"),
    KAFKA("kafka"),
    HBASE("hbase");

    private final String scriptName;

    Server(String scriptName) {
        this.scriptName = scriptName;
    }

    /** Returns the name that {@code scripts/infra.sh} takes on its command line. */
    public String scriptName() {
        return scriptName;
    }
}
