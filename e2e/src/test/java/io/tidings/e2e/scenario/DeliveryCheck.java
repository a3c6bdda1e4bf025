package io.tidings.e2e.scenario;

import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.InboxEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Compares what each device had to get, from the acked sends, with what the SDK gave the app
 * ({@link io.tidings.e2e.suite.Device#received()}), over all incarnations of the device.
 *
 * <p>Rules:
 * <ul>
 *   <li>Expected: every acked message addressed to the device's user (the peer and the sender for
 *       1:1, every member for a group), on every device of that user except the sending device.
 *       The sending device has the SendAck, so its own copy may come once on a pull or not at
 *       all. Retired devices are not expected to end complete.
 *   <li>Lost: expected and not received, unless offline-svc's per-conversation cap may have
 *       evicted it (see {@link #conversationCap}): those count as evicted.
 *   <li>Duplicated: a client message id the app got twice on one device, acked or not.
 *   <li>Out of order: within one conversation on one device, an entry whose message id is below
 *       one the app got before. Message ids grow with the server's acceptance time.
 *   <li>Order disagreements: within one conversation, entries that one device got in a different
 *       order than the device with the most entries of that conversation did.
 *   <li>Misrouted: a message the app got although its user is not a recipient.
 * </ul>
 * Entries that the scenario did not send (group event system messages) are only counted.
 */
final class DeliveryCheck {

    private static final int DETAIL_LIMIT = 40;
    /** Width of the send-time buckets of the latency series. */
    static final int LATENCY_BUCKET_SECONDS = 10;

    private final Map<String, SentMessage> byClientId;
    private final Map<String, List<SentMessage>> addressedTo = new HashMap<>();
    private final Map<String, Set<String>> evictableByUser = new HashMap<>();
    private final int conversationCap;
    private final long trafficStartNanos;
    /** Each device's received client message ids per conversation, for the cross-device order check. */
    private final Map<String, List<List<String>>> sequencesByConversation = new HashMap<>();

    /**
     * @param conversationCap offline-svc's tidings.offline.conversation-cap: an inbox keeps at most
     *     this many entries of one conversation, so an entry with at least this many newer entries
     *     of its conversation may be gone before a device pulls it
     */
    DeliveryCheck(Collection<SentMessage> sent, int conversationCap, long trafficStartNanos) {
        this.conversationCap = conversationCap;
        this.trafficStartNanos = trafficStartNanos;
        this.byClientId = new HashMap<>();
        Map<String, Map<String, List<SentMessage>>> byUserConversation = new HashMap<>();
        for (SentMessage message : sent) {
            byClientId.put(message.clientMessageId(), message);
            if (!message.isAcked()) {
                continue;
            }
            for (String user : message.recipients()) {
                addressedTo.computeIfAbsent(user, u -> new ArrayList<>()).add(message);
                byUserConversation.computeIfAbsent(user, u -> new HashMap<>())
                        .computeIfAbsent(conversationKey(user, message), k -> new ArrayList<>())
                        .add(message);
            }
        }
        byUserConversation.forEach((user, conversations) -> conversations.values().forEach(messages -> {
            if (messages.size() <= conversationCap) {
                return;
            }
            messages.sort(Comparator.comparing(SentMessage::messageId));
            for (int i = 0; i < messages.size() - conversationCap; i++) {
                evictableByUser.computeIfAbsent(user, u -> new HashSet<>()).add(messages.get(i).clientMessageId());
            }
        }));
    }

    /** Returns the key of the message's conversation from {@code user}'s view. */
    private static String conversationKey(String user, SentMessage message) {
        Conversation conversation = message.conversation();
        if (conversation.getType() == ConversationType.GROUP) {
            return "g:" + conversation.getTargetId();
        }
        String sender = message.sender().userId();
        return "p:" + (user.equals(sender) ? conversation.getTargetId() : sender);
    }

    private List<SentMessage> expectedOn(ScenarioDevice device) {
        List<SentMessage> expected = new ArrayList<>();
        for (SentMessage message : addressedTo.getOrDefault(device.userId(), List.of())) {
            if (message.sender() != device) {
                expected.add(message);
            }
        }
        return expected;
    }

    /** Returns how many expected deliveries have not arrived yet, over the non-retired devices. */
    long missing(Collection<ScenarioDevice> devices) {
        long missing = 0;
        for (ScenarioDevice device : devices) {
            if (device.retired()) {
                continue;
            }
            Set<String> got = new HashSet<>();
            for (ScenarioDevice.Received received : device.received()) {
                got.add(received.entry().getMessage().getClientMessageId());
            }
            for (SentMessage message : expectedOn(device)) {
                if (!got.contains(message.clientMessageId())) {
                    missing++;
                }
            }
        }
        return missing;
    }

    DeliveryReport check(Collection<ScenarioDevice> devices) {
        DeliveryReport report = new DeliveryReport();
        sequencesByConversation.clear();
        for (ScenarioDevice device : devices) {
            checkDevice(device, report);
        }
        checkAgreement(report);
        return report;
    }

    /** Returns the key of the message's conversation, the same for every participant. */
    private static String sharedConversationKey(SentMessage message) {
        Conversation conversation = message.conversation();
        if (conversation.getType() == ConversationType.GROUP) {
            return "g:" + conversation.getTargetId();
        }
        String a = message.sender().userId();
        String b = conversation.getTargetId();
        return a.compareTo(b) < 0 ? "p:" + a + ":" + b : "p:" + b + ":" + a;
    }

    /** Counts entries that a device got in another order than the conversation's fullest device did. */
    private void checkAgreement(DeliveryReport report) {
        sequencesByConversation.forEach((conversation, sequences) -> {
            List<String> reference = sequences.stream().max(Comparator.comparingInt(List::size)).orElseThrow();
            Map<String, Integer> rank = new HashMap<>();
            for (int i = 0; i < reference.size(); i++) {
                rank.put(reference.get(i), i);
            }
            for (List<String> sequence : sequences) {
                int highest = -1;
                for (String clientMessageId : sequence) {
                    Integer position = rank.get(clientMessageId);
                    if (position == null) {
                        continue;
                    }
                    if (position < highest) {
                        report.orderDisagreements++;
                        report.detail(report.disagreementDetails, DETAIL_LIMIT, "in " + conversation + " a device got "
                                + clientMessageId + " after " + reference.get(highest)
                                + ", the conversation's fullest device got them the other way round");
                    }
                    highest = Math.max(highest, position);
                }
            }
        });
    }

    private void checkDevice(ScenarioDevice device, DeliveryReport report) {
        Set<String> got = new HashSet<>();
        Map<String, InboxEntry> lastInConversation = new LinkedHashMap<>();
        Map<String, String> maxIdInConversation = new HashMap<>();
        Map<String, List<String>> sequences = new HashMap<>();
        Map<String, String> maxIdBySender = new HashMap<>();
        for (ScenarioDevice.Received received : device.received()) {
            InboxEntry entry = received.entry();
            SentMessage message = byClientId.get(entry.getMessage().getClientMessageId());
            if (message == null || !"text".equals(entry.getMessage().getContentType())) {
                report.otherEntries++;
                continue;
            }
            if (!got.add(message.clientMessageId())) {
                report.duplicated++;
                report.detail(report.duplicateDetails, DETAIL_LIMIT, "device " + device + " got "
                        + describe(message) + " again (messageId " + entry.getMessage().getMessageId()
                        + ", sync time " + entry.getSyncTime() + ")");
                continue;
            }
            if (!message.recipients().contains(device.userId())) {
                report.misrouted++;
                report.detail(report.misroutedDetails, DETAIL_LIMIT, "device " + device + " got "
                        + describe(message) + " addressed to " + message.recipients());
            }
            if (!message.isAcked()) {
                report.unackedDelivered++;
            }
            if (message.sender() == device) {
                report.ownCopiesOnSender++;
            }
            checkOrder(device, entry, message, lastInConversation, maxIdInConversation, maxIdBySender, report);
            recordLatency(device, received, message, report);
            sequences.computeIfAbsent(sharedConversationKey(message), k -> new ArrayList<>()).add(message.clientMessageId());
        }
        sequences.forEach((conversation, sequence) ->
                sequencesByConversation.computeIfAbsent(conversation, k -> new ArrayList<>()).add(sequence));
        if (device.retired()) {
            report.retiredDevices++;
            return;
        }
        Set<String> evictable = evictableByUser.getOrDefault(device.userId(), Set.of());
        for (SentMessage message : expectedOn(device)) {
            report.expected++;
            if (got.contains(message.clientMessageId())) {
                report.delivered++;
            } else if (evictable.contains(message.clientMessageId())) {
                report.evicted++;
            } else {
                report.lost++;
                report.lostByDevice.computeIfAbsent(device, d -> new ArrayList<>()).add(message);
            }
        }
    }

    private static void checkOrder(ScenarioDevice device, InboxEntry entry, SentMessage message,
            Map<String, InboxEntry> lastInConversation, Map<String, String> maxIdInConversation,
            Map<String, String> maxIdBySender, DeliveryReport report) {
        String conversation = entry.getConversation().getType() + ":" + entry.getConversation().getTargetId();
        String messageId = entry.getMessage().getMessageId();
        String maxBefore = maxIdInConversation.get(conversation);
        InboxEntry previous = lastInConversation.get(conversation);
        if (maxBefore != null && messageId.compareTo(maxBefore) < 0) {
            report.outOfOrder++;
            if (entry.getConversation().getType() == ConversationType.GROUP) {
                report.outOfOrderInGroups++;
            }
            String senderMax = maxIdBySender.get(conversation + "|" + message.sender().userId());
            if (senderMax != null && messageId.compareTo(senderMax) < 0) {
                report.outOfOrderSameSender++;
            }
            boolean inboxOrder = previous != null && entry.getSyncTime() > previous.getSyncTime();
            if (inboxOrder) {
                report.outOfOrderInInbox++;
            }
            report.detail(report.outOfOrderDetails, DETAIL_LIMIT, "device " + device + " in " + conversation + " got "
                    + describe(message) + " (messageId " + messageId + ", sync time " + entry.getSyncTime()
                    + ") after messageId " + maxBefore + "; previous entry "
                    + (previous == null ? "none" : previous.getMessage().getClientMessageId() + " sync time " + previous.getSyncTime())
                    + (inboxOrder ? ": the inbox stores them in this order" : ": the SDK went against the inbox order"));
        }
        if (maxBefore == null || messageId.compareTo(maxBefore) > 0) {
            maxIdInConversation.put(conversation, messageId);
        }
        maxIdBySender.merge(conversation + "|" + message.sender().userId(), messageId,
                (a, b) -> a.compareTo(b) >= 0 ? a : b);
        lastInConversation.put(conversation, entry);
    }

    private void recordLatency(ScenarioDevice device, ScenarioDevice.Received received, SentMessage message,
            DeliveryReport report) {
        // Only deliveries to an incarnation that was online when the message was sent: the rest
        // measure how long the device was offline.
        if (!message.isAcked() || message.sender() == device || message.sentAtNanos() < trafficStartNanos
                || received.incarnation().connectedAtNanos() > message.sentAtNanos()) {
            return;
        }
        long deliveredAt = received.incarnation().clock().deliveredAtNanos(received.entry().getSyncTime());
        if (deliveredAt < 0) {
            report.undated++;
            return;
        }
        long micros = (deliveredAt - message.sentAtNanos()) / 1_000;
        record(report.deliveryLatencyMicros, micros);
        int bucket = (int) Math.max(0, (message.sentAtNanos() - trafficStartNanos) / (LATENCY_BUCKET_SECONDS * 1_000_000_000L));
        record(report.deliveryLatencyByTime.computeIfAbsent(bucket, b -> newHistogram()), micros);
        long pushedAt = device.pushArrivalNanos(received.entry().getMessage().getMessageId());
        if (pushedAt < 0) {
            report.pulledOnly++;
        } else {
            record(report.pushLatencyMicros, (pushedAt - message.sentAtNanos()) / 1_000);
        }
    }

    private static void record(Histogram histogram, long micros) {
        histogram.recordValue(Math.min(Math.max(0, micros), histogram.getHighestTrackableValue()));
    }

    static Histogram newHistogram() {
        return new Histogram(3_600_000_000L, 3);
    }

    static String describe(SentMessage message) {
        return message.clientMessageId() + " (messageId " + message.messageId() + ") from " + message.sender()
                + " to " + message.conversation().getType() + " " + message.conversation().getTargetId();
    }

    /** The counts, latencies and first examples of each kind of failure. */
    static final class DeliveryReport {
        long expected;
        long delivered;
        long lost;
        long evicted;
        long duplicated;
        long outOfOrder;
        /** Out-of-order entries that the inbox itself stores in that order (their sync times agree). */
        long outOfOrderInInbox;
        /** Out-of-order entries in group conversations. */
        long outOfOrderInGroups;
        /** Out-of-order entries below an id that the app already got from the same sender. */
        long outOfOrderSameSender;
        long orderDisagreements;
        long misrouted;
        long unackedDelivered;
        long ownCopiesOnSender;
        long otherEntries;
        long retiredDevices;
        /** Deliveries whose arrival time could not be read from the cursor saves. */
        long undated;
        final Histogram deliveryLatencyMicros = newHistogram();
        /** Send to the first Deliver frame at the device, for the deliveries that came as a push. */
        final Histogram pushLatencyMicros = newHistogram();
        /** Send to app, by send time: bucket i covers seconds [10 i, 10 i + 10) of the traffic. */
        final Map<Integer, Histogram> deliveryLatencyByTime = new java.util.TreeMap<>();
        /** Timed deliveries with no Deliver frame: the device pulled them. */
        long pulledOnly;
        final Map<ScenarioDevice, List<SentMessage>> lostByDevice = new LinkedHashMap<>();
        final List<String> duplicateDetails = new ArrayList<>();
        final List<String> outOfOrderDetails = new ArrayList<>();
        final List<String> misroutedDetails = new ArrayList<>();
        final List<String> disagreementDetails = new ArrayList<>();

        void detail(List<String> details, int limit, String line) {
            if (details.size() < limit) {
                details.add(line);
            }
        }
    }
}
