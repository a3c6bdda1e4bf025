package io.tidings.push.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration of push-svc, prefix {@code tidings.push}. A provider whose credentials are not set
 * is disabled: its devices get no notifications and start-up logs one line saying so.
 */
@ConfigMapping(prefix = "tidings.push")
public interface PushConfig {

    /** Kafka consumer of topic tidings.push. */
    Consumer consumer();

    /** Retries of one notification after 429, 5xx and connection failures. */
    Retry retry();

    /** Per-provider circuit breaker. */
    Breaker breaker();

    /** Notification texts. */
    Payload payload();

    Apns apns();

    Fcm fcm();

    Huawei huawei();

    Xiaomi xiaomi();

    Oppo oppo();

    Vivo vivo();

    /** Timeout of the Redis PING in the readiness check. */
    @WithDefault("2s")
    Duration redisReadinessTimeout();

    interface Consumer {
        /** Topic with PushEvent records keyed by recipient id. */
        @WithDefault("tidings.push")
        String topic();

        /** Kafka consumer group; all push-svc instances share it. */
        @WithDefault("tidings-push")
        String groupId();

        /** Start position of a group without committed offsets: earliest or latest. */
        @WithDefault("earliest")
        String autoOffsetReset();

        /** Maximum records returned by one poll; a poll's records are processed as one batch. */
        @WithDefault("200")
        int maxPollRecords();

        /** Maximum notifications in flight at once across the batch. */
        @WithDefault("32")
        int concurrency();

        /**
         * Maximum time one event may take, retries included. A slower one counts as failed and is
         * replayed, so one stuck call cannot stall its partition.
         */
        @WithDefault("2m")
        Duration processingTimeout();

        /** Events older than this (by message server time) are skipped: the notification is stale. */
        @WithDefault("6h")
        Duration maxEventAge();

        /** How long a device that was notified for a message is remembered, so a replay skips it. */
        @WithDefault("24h")
        Duration sentMarkerTtl();
    }

    interface Retry {
        /** Attempts per notification, the first included. */
        @WithDefault("5")
        int maxAttempts();

        /** Backoff before the second attempt; doubles with each further attempt, with jitter. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Upper bound of the exponential backoff. */
        @WithDefault("10s")
        Duration maxBackoff();

        /**
         * Longest Retry-After that is waited out in place. A longer one opens the provider's
         * circuit breaker for that time, so the events wait in Kafka instead.
         */
        @WithDefault("30s")
        Duration maxRetryAfter();
    }

    interface Breaker {
        /** Consecutive failed attempts (429, 5xx, connection errors) that open the breaker. */
        @WithDefault("5")
        int failureThreshold();

        /** How long an open breaker rejects sends before it lets one trial request through. */
        @WithDefault("30s")
        Duration openDuration();
    }

    interface Payload {
        /** Body for messages without push text and without a preview, and when previews are off. */
        @WithDefault("New message")
        String genericBody();

        /** Body per content type when the message has no push text, e.g. image=[image]. */
        @WithDefault("image=[image],voice=[voice],video=[video],file=[file],location=[location]")
        Map<String, String> placeholders();

        /** Title of group notifications; {sender} and {group} are replaced. */
        @WithDefault("{sender} ({group})")
        String groupTitleFormat();
    }

    interface Apns {
        /** Path of the .p8 signing key (PKCS#8 PEM) from the Apple developer account. */
        Optional<String> keyFile();

        /** The .p8 key's content, as an alternative to key-file (for example from a secret). */
        Optional<String> key();

        /** Key id of the .p8 key (10 characters), sent as the JWT "kid". */
        Optional<String> keyId();

        /** Apple developer team id, sent as the JWT "iss". */
        Optional<String> teamId();

        /** Topic used when a device token was registered without a bundle id. */
        Optional<String> defaultTopic();

        @WithDefault("https://api.push.apple.com")
        String productionUrl();

        @WithDefault("https://api.sandbox.push.apple.com")
        String sandboxUrl();

        /**
         * Age at which the provider JWT is replaced. Apple rejects tokens older than one hour and
         * refreshes more often than every 20 minutes, so it must lie in [20m, 60m).
         */
        @WithDefault("50m")
        Duration tokenRefreshInterval();

        /** Time to live of a notification, sent as apns-expiration. */
        @WithDefault("24h")
        Duration timeToLive();

        /** PKCS#12 trust store for the TLS connection; the JDK's default trust when unset. */
        Optional<String> trustStoreFile();

        Optional<String> trustStorePassword();

        @WithDefault("10s")
        Duration requestTimeout();
    }

    interface Fcm {
        /** Path of the Firebase service account JSON key file. */
        Optional<String> serviceAccountFile();

        /** The service account JSON itself, as an alternative to service-account-file. */
        Optional<String> serviceAccountJson();

        @WithDefault("https://fcm.googleapis.com")
        String baseUrl();

        /** Time to live of a notification, sent as android.ttl. */
        @WithDefault("24h")
        Duration timeToLive();

        @WithDefault("10s")
        Duration requestTimeout();
    }

    interface Huawei {
        /** App id from AppGallery Connect, part of the send URL. */
        Optional<String> appId();

        /** OAuth 2.0 client id; the app id when unset. */
        Optional<String> clientId();

        /** OAuth 2.0 client secret. */
        Optional<String> clientSecret();

        @WithDefault("https://oauth-login.cloud.huawei.com/oauth2/v3/token")
        String tokenUrl();

        @WithDefault("https://push-api.cloud.huawei.com")
        String baseUrl();

        @WithDefault("24h")
        Duration timeToLive();

        @WithDefault("10s")
        Duration requestTimeout();
    }

    interface Xiaomi {
        /** App secret, sent as "Authorization: key=...". */
        Optional<String> appSecret();

        @WithDefault("https://api.xmpush.xiaomi.com")
        String baseUrl();

        @WithDefault("24h")
        Duration timeToLive();

        @WithDefault("10s")
        Duration requestTimeout();
    }

    interface Oppo {
        Optional<String> appKey();

        /** Master secret, used only in the auth signature. */
        Optional<String> masterSecret();

        @WithDefault("https://api.push.oppomobile.com")
        String baseUrl();

        /** Notification channel id on Android 8+; the vendor's default channel when unset. */
        Optional<String> channelId();

        @WithDefault("24h")
        Duration timeToLive();

        @WithDefault("10s")
        Duration requestTimeout();
    }

    interface Vivo {
        Optional<String> appId();

        Optional<String> appKey();

        Optional<String> appSecret();

        @WithDefault("https://api-push.vivo.com.cn")
        String baseUrl();

        /** Message classification: 0 operational, 1 system (instant messages need approval for 1). */
        @WithDefault("1")
        int classification();

        @WithDefault("24h")
        Duration timeToLive();

        @WithDefault("10s")
        Duration requestTimeout();
    }
}
