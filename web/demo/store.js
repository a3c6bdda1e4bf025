import {
  ConversationTimeline, Emitter, conversationKey, decodeJsonContent, encodeJsonContent, newClientMessageId,
} from '../tidings-client/src/index.js';

/** Time a send waits for a lost connection to come back before it is shown as failed. */
const SEND_WAIT_FOR_CONNECTION_MS = 10_000;
/** Delay that batches MarkRead requests while messages stream into the open conversation. */
const MARK_READ_DELAY_MS = 300;

/**
 * One conversation in the list.
 * @typedef {object} ConversationRecord
 * @property {string} key
 * @property {{type: string, targetId: string}} conversation
 * @property {string} title group name, or the peer's user id
 * @property {{senderId: string, contentType: string, content: string} | null} last the newest message
 * @property {number} lastTime server time of the newest message, for ordering the list
 * @property {number} unread messages received while the conversation was not on screen
 * @property {ConversationTimeline} timeline
 * @property {string[]} outbox client message ids waiting to be sent, in order
 * @property {boolean} draining whether the outbox is being sent
 */

/**
 * The demo's state for one signed-in user on this device: the conversation list with unread
 * counts, each conversation's timeline, and the outgoing messages. Conversation summaries are kept
 * in Web Storage next to the inbox cursor, so a reloaded page shows the list at once and pulls only
 * what is new. Messages themselves are not stored, because an opened conversation loads them from
 * history.
 *
 * Events: "conversations" when the list or a summary changes, "messages" ({key}) when a
 * timeline changes.
 */
export class ChatStore extends Emitter {
  #userId;
  #deviceId;
  #client;
  #storage;
  #storageKey;
  /** @type {Map<string, ConversationRecord>} */
  #records = new Map();
  #markReadTimers = new Map();
  #activeKey = null;
  #visible = true;

  /**
   * @param {object} options
   * @param {string} options.userId
   * @param {string} options.deviceId
   * @param {import('../tidings-client/src/index.js').TidingsClient} options.client
   * @param {Storage} [options.storage]
   */
  constructor({ userId, deviceId, client, storage = globalThis.localStorage }) {
    super();
    this.#userId = userId;
    this.#deviceId = deviceId;
    this.#client = client;
    this.#storage = storage;
    this.#storageKey = `tidings.demo.conversations.${encodeURIComponent(userId)}.${encodeURIComponent(deviceId)}`;
    this.#restore();
  }

  get userId() {
    return this.#userId;
  }

  get activeKey() {
    return this.#activeKey;
  }

  /** Returns the conversations, the most recently active first. */
  list() {
    return [...this.#records.values()].sort((a, b) => b.lastTime - a.lastTime || a.title.localeCompare(b.title));
  }

  /** @returns {ConversationRecord | undefined} */
  get(key) {
    return this.#records.get(key);
  }

  /**
   * Returns the record of a conversation, creating it when it is new.
   * @param {{type: string, targetId: string}} conversation from this user's view
   * @param {string} [title]
   */
  ensure(conversation, title) {
    const key = conversationKey(conversation);
    let record = this.#records.get(key);
    if (!record) {
      record = this.#newRecord({ type: conversation.type, targetId: conversation.targetId }, title ?? conversation.targetId, null, 0, 0);
      this.#records.set(key, record);
      this.#changed();
    } else if (title && record.title !== title) {
      record.title = title;
      this.#changed();
    }
    return record;
  }

  /** Puts a conversation on screen and clears its unread count. */
  open(key) {
    this.#activeKey = key;
    this.#clearUnread(key);
  }

  /** Records whether the page is visible; unread counts grow while it is hidden. */
  setVisible(visible) {
    this.#visible = visible;
    if (visible && this.#activeKey) {
      this.#clearUnread(this.#activeKey);
    }
  }

  /**
   * Adds an inbox entry from MessageSync: pushed or pulled, each message once, oldest first.
   * @param {object} entry an InboxEntry in proto3 JSON
   */
  handleEntry(entry) {
    const message = entry.message ?? {};
    const record = this.ensure(entry.conversation);
    const item = record.timeline.addMessage(message);
    if (!item) {
      return;
    }
    this.#applyGroupEvent(record, message);
    this.#updateLast(record, item);
    const counted = message.flags ? Boolean(message.flags.counted) : true;
    if (!item.own && counted) {
      if (this.#activeKey === record.key && this.#visible) {
        this.#scheduleMarkRead(record);
      } else {
        record.unread++;
      }
    }
    this.#changed();
    this.emit('messages', { key: record.key });
  }

  /** Queues a text message for sending in a conversation. */
  sendText(key, text) {
    const record = this.#records.get(key);
    const clientMessageId = newClientMessageId();
    const item = record.timeline.addPending({
      clientMessageId,
      contentType: 'text',
      content: encodeJsonContent({ text }),
      senderDeviceId: this.#deviceId,
    });
    this.#updateLast(record, item, Date.now());
    record.outbox.push(clientMessageId);
    this.#changed();
    this.emit('messages', { key });
    this.#drain(record);
  }

  /** Sends a failed message again under the same client message id, so it is stored once. */
  retry(key, clientMessageId) {
    const record = this.#records.get(key);
    if (!record?.timeline.markRetrying(clientMessageId)) {
      return;
    }
    record.outbox.push(clientMessageId);
    this.emit('messages', { key });
    this.#drain(record);
  }

  /**
   * Loads the page of history before the oldest message on screen.
   * @returns {Promise<{added: number, hasOlder: boolean}>}
   */
  async loadOlder(key) {
    const record = this.#records.get(key);
    const loading = record.timeline.loadOlder();
    this.emit('messages', { key });
    try {
      return await loading;
    } finally {
      this.emit('messages', { key });
    }
  }

  /**
   * Sends a conversation's outbox one message at a time, so that the server assigns its messages
   * server times in the order they were written.
   */
  async #drain(record) {
    if (record.draining) {
      return;
    }
    record.draining = true;
    try {
      while (record.outbox.length > 0) {
        const clientMessageId = record.outbox.shift();
        const item = record.timeline.findOwn(clientMessageId);
        try {
          await this.#waitForConnection();
          const ack = await this.#client.send({
            clientMessageId,
            conversation: record.conversation,
            contentType: item.contentType,
            content: item.content,
          });
          record.timeline.markSent({ ...ack, clientMessageId });
          this.#updateLast(record, item);
        } catch (error) {
          console.warn(`Send of message ${clientMessageId} to ${record.key} failed`, error);
          record.timeline.markFailed(clientMessageId, error);
        }
        this.#changed();
        this.emit('messages', { key: record.key });
      }
    } finally {
      record.draining = false;
    }
  }

  #waitForConnection() {
    if (this.#client.state === 'connected') {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(Object.assign(new Error(`not connected within ${SEND_WAIT_FOR_CONNECTION_MS} ms`), { code: 'NOT_CONNECTED' }));
      }, SEND_WAIT_FOR_CONNECTION_MS);
      const unsubscribe = this.#client.on('state', ({ state }) => {
        if (state === 'connected') {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        }
      });
    });
  }

  #applyGroupEvent(record, message) {
    if (message.contentType !== 'system' || record.conversation.type !== 'GROUP') {
      return;
    }
    const event = decodeJsonContent(message.content);
    if (event?.event === 'group_created' && typeof event.name === 'string' && event.name) {
      record.title = event.name;
    }
  }

  #updateLast(record, item, fallbackTime = 0) {
    const time = item.serverTime || fallbackTime;
    if (time >= record.lastTime) {
      record.last = { senderId: item.senderId, contentType: item.contentType, content: item.content };
      record.lastTime = time;
    }
  }

  #clearUnread(key) {
    const record = this.#records.get(key);
    if (!record || record.unread === 0) {
      return;
    }
    record.unread = 0;
    this.#changed();
    this.#scheduleMarkRead(record);
  }

  #scheduleMarkRead(record) {
    if (this.#markReadTimers.has(record.key)) {
      return;
    }
    this.#markReadTimers.set(record.key, setTimeout(() => {
      this.#markReadTimers.delete(record.key);
      this.#client.markRead(record.conversation).catch((error) => {
        console.warn(`MarkRead of ${record.key} failed`, error);
      });
    }, MARK_READ_DELAY_MS));
  }

  #newRecord(conversation, title, last, lastTime, unread) {
    return {
      key: conversationKey(conversation),
      conversation,
      title,
      last,
      lastTime,
      unread,
      timeline: new ConversationTimeline({
        conversation,
        userId: this.#userId,
        loadHistory: (request) => this.#client.history(request),
      }),
      outbox: [],
      draining: false,
    };
  }

  #changed() {
    this.#persist();
    this.emit('conversations', null);
  }

  #persist() {
    const summaries = [...this.#records.values()].map(({ conversation, title, last, lastTime, unread }) => (
      { conversation, title, last, lastTime, unread }));
    try {
      this.#storage.setItem(this.#storageKey, JSON.stringify(summaries));
    } catch (error) {
      console.warn('Saving the conversation list failed; after a reload it lacks the changes since the last successful save', error);
    }
  }

  #restore() {
    let summaries;
    try {
      summaries = JSON.parse(this.#storage.getItem(this.#storageKey) ?? '[]');
    } catch (error) {
      console.warn('The stored conversation list is unreadable; starting with an empty one', error);
      summaries = [];
    }
    for (const summary of Array.isArray(summaries) ? summaries : []) {
      if (!summary?.conversation?.type || !summary.conversation.targetId) {
        continue;
      }
      const record = this.#newRecord(summary.conversation, summary.title ?? summary.conversation.targetId,
        summary.last ?? null, Number(summary.lastTime) || 0, Number(summary.unread) || 0);
      this.#records.set(record.key, record);
    }
  }
}
