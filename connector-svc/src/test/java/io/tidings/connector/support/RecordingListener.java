package io.tidings.connector.support;

import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsListener;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Kicked;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what an SDK client reports, for assertions. */
public final class RecordingListener implements TidingsListener {

    public final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    public final List<ErrorCode> codes = new CopyOnWriteArrayList<>();
    public final List<Deliver> delivered = new CopyOnWriteArrayList<>();
    public final List<Kicked> kicks = new CopyOnWriteArrayList<>();
    public final List<Frame> frames = new CopyOnWriteArrayList<>();

    @Override
    public void onStateChanged(ConnectionState state, ErrorCode code, String detail) {
        states.add(state);
        if (code != null) {
            codes.add(code);
        }
    }

    @Override
    public void onDeliver(Deliver deliver) {
        delivered.add(deliver);
    }

    @Override
    public void onKicked(Kicked kicked) {
        kicks.add(kicked);
    }

    @Override
    public void onFrame(Frame frame) {
        frames.add(frame);
    }
}
