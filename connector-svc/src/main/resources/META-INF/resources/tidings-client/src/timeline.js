/** The largest history page the server returns (HistoryRequest.count). */
const MAX_HISTORY_PAGE = 100;

/**
 * A conversation as proto3 JSON: {type: "PRIVATE" | "GROUP" | "SYSTEM", targetId}.
 * @typedef {{type: string, targetId: string}} Conversation
 */

/**
 * One message of a timeline. `state` is "sending", "sent" or "failed" for messages this device
 * sends, and "received" for all others. `serverTime` is 0 until the server accepted the message.
 * @typedef {object} TimelineItem
 * @property {string | null} messageId
 * @property {string} clientMessageId
 * @property {string} senderId
 * @property {string} senderDeviceId
 * @property {string} contentType
 * @property {string} content base64
 * @property {number} serverTime
 * @property {boolean} own sent by this user (from any of the user's devices)
 * @property {'sending' | 'sent' | 'failed' | 'received'} state
 * @property {string | null} error the failure of the last send attempt
 */

/** Returns a string that identifies a conversation from one user's view, for use as a map key. */
export function conversationKey(conversation) {
  return `${conversation.type}:${conversation.targetId}`;
}

/**
 * Returns a new client message id: 32 hex digits from the platform's cryptographic random
 * source, which browsers offer also on plain-HTTP pages (unlike crypto.randomUUID).
 */
export function newClientMessageId() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The messages of one conversation as the user sees them: history pages loaded backwards on
 * request ("load older"), merged with messages from the inbox and with the user's own sends, each
 * message once, in server order (server time, then message id). Messages still waiting for their
 * SendAck come last, in the order they were sent.
 *
 * A message is the same message when it has the same message id, or, before the SendAck of this
 * device's send arrives, the same sender and client message id.
 */
export class ConversationTimeline {
  /** @type {Conversation} */
  conversation;
  #userId;
  #loadHistory;
  #pageSize;
  /** @type {Map<string, TimelineItem>} by message id */
  #byMessageId = new Map();
  /** @type {Map<string, TimelineItem>} by sender and client message id */
  #byClientKey = new Map();
  /** @type {TimelineItem[]} */
  #items = [];
  #sequence = new WeakMap();
  #nextSequence = 0;
  #hasOlder = true;
  #loadingOlder = null;

  /**
   * @param {object} options
   * @param {Conversation} options.conversation from this user's view
   * @param {string} options.userId the user who owns this view
   * @param {(request: {conversation: Conversation, beforeTime: number, count: number}) =>
   *   Promise<{messages?: object[], hasMore?: boolean}>} options.loadHistory usually client.history
   * @param {number} [options.pageSize] messages per history page, 1..100 (default 20)
   */
  constructor({ conversation, userId, loadHistory, pageSize = 20 }) {
    this.conversation = conversation;
    this.#userId = userId;
    this.#loadHistory = loadHistory;
    this.#pageSize = pageSize;
  }

  /** The messages in display order. The array is a copy. */
  items() {
    return [...this.#items];
  }

  /** Whether history may hold older messages than the oldest one loaded. */
  get hasOlder() {
    return this.#hasOlder;
  }

  /** Whether a "load older" request is running. */
  get loadingOlder() {
    return this.#loadingOlder !== null;
  }

  /** The smallest server time in the timeline, or 0 when no accepted message is in it. */
  get oldestServerTime() {
    const first = this.#items.find((item) => item.serverTime > 0);
    return first ? first.serverTime : 0;
  }

  /**
   * Adds an accepted message (from an inbox entry or a history page).
   * @param {object} message a Message in proto3 JSON
   * @returns {TimelineItem | null} the new or updated item, or null when the message was known
   */
  addMessage(message) {
    if (!message?.messageId) {
      return null;
    }
    const known = this.#byMessageId.get(message.messageId);
    if (known) {
      return null;
    }
    const clientKey = this.#clientKey(message.senderId, message.clientMessageId);
    const pending = clientKey ? this.#byClientKey.get(clientKey) : undefined;
    if (pending && !pending.messageId) {
      // This device's own send, seen in the inbox before its SendAck arrived.
      this.#accepted(pending, message.messageId, message.serverTime ?? 0);
      return pending;
    }
    const senderId = message.senderId ?? '';
    /** @type {TimelineItem} */
    const item = {
      messageId: message.messageId,
      clientMessageId: message.clientMessageId ?? '',
      senderId,
      senderDeviceId: message.senderDeviceId ?? '',
      contentType: message.contentType ?? '',
      content: message.content ?? '',
      serverTime: message.serverTime ?? 0,
      own: senderId === this.#userId,
      state: senderId === this.#userId ? 'sent' : 'received',
      error: null,
    };
    this.#index(item);
    this.#insert(item);
    return item;
  }

  /**
   * Adds a message this device is sending, in state "sending".
   * @param {{clientMessageId: string, contentType: string, content: string, senderDeviceId?: string}} send
   * @returns {TimelineItem}
   */
  addPending({ clientMessageId, contentType, content, senderDeviceId = '' }) {
    /** @type {TimelineItem} */
    const item = {
      messageId: null,
      clientMessageId,
      senderId: this.#userId,
      senderDeviceId,
      contentType,
      content,
      serverTime: 0,
      own: true,
      state: 'sending',
      error: null,
    };
    this.#index(item);
    this.#insert(item);
    return item;
  }

  /** Returns this user's message with the given client message id, or undefined. */
  findOwn(clientMessageId) {
    return this.#byClientKey.get(this.#clientKey(this.#userId, clientMessageId));
  }

  /**
   * Records the SendAck of an own message.
   * @param {{clientMessageId: string, messageId: string, serverTime: number}} ack
   * @returns {TimelineItem | undefined}
   */
  markSent(ack) {
    const item = this.findOwn(ack.clientMessageId);
    if (!item) {
      return undefined;
    }
    if (item.messageId && item.messageId !== ack.messageId) {
      console.warn(`tidings: SendAck of ${ack.clientMessageId} names message ${ack.messageId}, not ${item.messageId}`);
    }
    if (!item.messageId) {
      this.#accepted(item, ack.messageId, ack.serverTime ?? 0);
    }
    item.state = 'sent';
    item.error = null;
    return item;
  }

  /** Records that an own send failed; a retry with the same client message id may follow. */
  markFailed(clientMessageId, error) {
    const item = this.findOwn(clientMessageId);
    if (item && item.state === 'sending') {
      item.state = 'failed';
      item.error = error?.code ?? error?.message ?? String(error);
    }
    return item;
  }

  /** Moves a failed own message back to "sending" before a retry. */
  markRetrying(clientMessageId) {
    const item = this.findOwn(clientMessageId);
    if (item && item.state === 'failed') {
      item.state = 'sending';
      item.error = null;
    }
    return item;
  }

  /**
   * Loads the page of history before the oldest message in the timeline and merges it. A call
   * while one runs returns the running one.
   * @returns {Promise<{added: number, hasOlder: boolean}>}
   */
  loadOlder() {
    if (this.#loadingOlder) {
      return this.#loadingOlder;
    }
    if (!this.#hasOlder) {
      return Promise.resolve({ added: 0, hasOlder: false });
    }
    this.#loadingOlder = this.#loadOlderPage().finally(() => {
      this.#loadingOlder = null;
    });
    return this.#loadingOlder;
  }

  async #loadOlderPage() {
    const oldest = this.oldestServerTime;
    if (oldest === 0) {
      const reply = await this.#requestPage(0, this.#pageSize);
      return this.#finishPage(reply, this.#merge(reply.messages));
    }
    // The server's beforeTime is exclusive and pages by time alone. Asking from oldest + 1 reads
    // the oldest millisecond again, so a page that ended inside one millisecond skips nothing;
    // the merge drops the repeats. A page of only known messages means that millisecond contains
    // more messages than the page: read it again with a larger page.
    let count = this.#pageSize;
    for (;;) {
      const reply = await this.#requestPage(oldest + 1, count);
      const added = this.#merge(reply.messages);
      if (added > 0 || !reply.hasMore) {
        return this.#finishPage(reply, added);
      }
      if (count >= MAX_HISTORY_PAGE) {
        break;
      }
      count = Math.min(MAX_HISTORY_PAGE, count * 2);
    }
    // NOTE: more than 100 messages of this conversation share the oldest millisecond; the ones
    // beyond the largest page are skipped by stepping past it.
    const reply = await this.#requestPage(oldest, this.#pageSize);
    return this.#finishPage(reply, this.#merge(reply.messages));
  }

  #finishPage(reply, added) {
    this.#hasOlder = Boolean(reply.hasMore);
    return { added, hasOlder: this.#hasOlder };
  }

  async #requestPage(beforeTime, count) {
    const reply = await this.#loadHistory({ conversation: this.conversation, beforeTime, count });
    return reply ?? {};
  }

  #merge(messages = []) {
    let added = 0;
    for (const message of messages) {
      if (this.addMessage(message)) {
        added++;
      }
    }
    return added;
  }

  #accepted(item, messageId, serverTime) {
    item.messageId = messageId;
    item.serverTime = serverTime;
    item.state = 'sent';
    item.error = null;
    this.#byMessageId.set(messageId, item);
    // Its place changes from the pending tail to its server time.
    this.#items.splice(this.#items.indexOf(item), 1);
    this.#insert(item);
  }

  #index(item) {
    this.#sequence.set(item, this.#nextSequence++);
    if (item.messageId) {
      this.#byMessageId.set(item.messageId, item);
    }
    const clientKey = this.#clientKey(item.senderId, item.clientMessageId);
    if (clientKey && !this.#byClientKey.has(clientKey)) {
      this.#byClientKey.set(clientKey, item);
    }
  }

  #clientKey(senderId, clientMessageId) {
    return senderId && clientMessageId ? `${senderId}\u0000${clientMessageId}` : null;
  }

  /** Inserts by binary search; history pages and inbox entries mostly land near one end. */
  #insert(item) {
    let low = 0;
    let high = this.#items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#compare(this.#items[middle], item) <= 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    this.#items.splice(low, 0, item);
  }

  #compare(a, b) {
    const aPending = a.serverTime === 0;
    const bPending = b.serverTime === 0;
    if (aPending !== bPending) {
      return aPending ? 1 : -1;
    }
    if (aPending) {
      return this.#sequence.get(a) - this.#sequence.get(b);
    }
    if (a.serverTime !== b.serverTime) {
      return a.serverTime - b.serverTime;
    }
    if (a.messageId === b.messageId) {
      return 0;
    }
    return a.messageId < b.messageId ? -1 : 1;
  }
}
