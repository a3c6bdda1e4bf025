package io.tidings.protocol;

import java.util.regex.Pattern;

/** Validation of the ids that clients and app backends choose: users, groups and devices. */
public final class Ids {

    /** Letters, digits and {@code _ . @ -}; no ':' so that conversation keys stay unambiguous. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_.@:-]{1,128}");

    private Ids() {
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Returns {@code id} or throws INVALID_ARGUMENT naming the field and the value.
     *
     * @param field the request field, for example "user_id"
     */
    public static String requireId(String field, String id) {
        if (!isValidId(id)) {
            throw TidingsException.invalidArgument(
                    field + " '" + id + "' is invalid: use 1..64 characters of A-Z a-z 0-9 _ . @ -");
        }
        return id;
    }

    public static String requireDeviceId(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw TidingsException.invalidArgument("device_id '" + deviceId
                    + "' is invalid: use 1..128 characters of A-Z a-z 0-9 _ . @ : -");
        }
        return deviceId;
    }
}
