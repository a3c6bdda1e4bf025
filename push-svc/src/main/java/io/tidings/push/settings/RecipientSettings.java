package io.tidings.push.settings;

import java.util.Optional;

/**
 * The push settings that matter for one notification.
 *
 * @param muted whether the user muted the notification's conversation
 * @param doNotDisturb the user's daily quiet window, if set
 * @param showPreview false when the user turned message previews off
 */
public record RecipientSettings(boolean muted, Optional<DoNotDisturbWindow> doNotDisturb, boolean showPreview) {
}
