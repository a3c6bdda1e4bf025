package io.tidings.history.query;

/**
 * The part of a conversation's history a reader may see, by server time in milliseconds.
 *
 * @param notBefore first visible server time, inclusive; 0 for the start of history
 * @param before end of the visible history, exclusive; 0 for no end
 */
record ReadWindow(long notBefore, long before) {

    static final ReadWindow ALL = new ReadWindow(0, 0);

    /** Returns the exclusive upper bound of a page, given the requested before_time (0 for none). */
    long pageBefore(long requestedBefore) {
        if (before == 0) {
            return requestedBefore;
        }
        return requestedBefore == 0 ? before : Math.min(requestedBefore, before);
    }
}
