import { TidingsError } from './errors.js';

/** Message ids remembered for de-duplication; older ones are forgotten first. */
const SEEN_WINDOW = 10_000;

/** Delays in ms before a failed page is requested again; the last one repeats. */
export const PULL_RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10000];

/** Error codes of a failed page that a later request can fix. */
const RETRIED_CODES = new Set(['UNAVAILABLE', 'TIMEOUT', 'INTERNAL', 'RATE_LIMITED']);

/**
 * The calls MessageSync makes; TidingsClient.sync and syncAck in production.
 * @typedef {object} SyncTransport
 * @property {(cursor: number) => Promise<{entries?: object[], nextCursor?: number, hasMore?: boolean}>} sync
 * @property {(cursor: number) => Promise<unknown>} syncAck
 */

/**
 * Storage for a device's cursor between page loads.
 * @typedef {object} CursorStore
 * @property {() => number} load
 * @property {(cursor: number) => void} save
 */

/**
 * The client side of inbox sync: turns pushed Deliver frames, Notify frames and pulls into one
 * ordered stream of inbox entries, each message once. It follows the rules of the Java SDK's
 * MessageSync, from the device's view with its cursor C (the newest sync time it has):
 *
 * - On every connect (the first and each reconnect) pull: Sync(C) page after page until hasMore
 *   is false, then SyncAck.
 * - A pushed entry with sync time at or below C is a duplicate and is dropped.
 * - A pushed entry whose prevSyncTime is above C means the device missed an entry between them:
 *   pull instead of delivering it out of order (the pull returns both).
 * - A Notify above C: pull.
 * - Pushes that arrive while a pull runs are dropped, because the inbox already contains them. If
 *   one of them is newer than where the pull ended (it was appended after the last page was
 *   read) the loop pulls again.
 * - Entries are also de-duplicated by message id over the last 10,000 ids, which covers the
 *   sender's own copy of a message and a cursor that was reset.
 * - A page that fails with UNAVAILABLE, TIMEOUT, INTERNAL or RATE_LIMITED is requested again after
 *   0.5 s, 1 s, 2 s, 5 s and then every 10 s while the client stays connected. Other errors and a
 *   lost connection end the pull: the next connect pulls anyway.
 *
 * JavaScript runs callbacks one at a time, so the state below needs no lock; the asynchronous
 * steps are the Sync requests, and the `pulling` flag orders pushes around them.
 */
export class MessageSync {
  /** @type {SyncTransport} */
  #transport;
  /** @type {CursorStore} */
  #cursors;
  #onMessage;
  #onStatus;
  #onSyncFailed;
  #retryDelaysMs;

  #cursor;
  #connected = true;
  #failedPages = 0;
  #retryTimer = null;
  #pulling = false;
  #pullAgain = false;
  #newestDroppedDuringPull = 0;
  #pullDone = settledDeferred();
  #seenMessageIds = new Set();

  /**
   * @param {object} options
   * @param {SyncTransport} options.transport
   * @param {CursorStore} options.cursorStore
   * @param {(entry: object) => void} options.onMessage each new inbox entry, oldest first
   * @param {(entry: object) => void} [options.onStatus] status-only entries (sync time 0: typing and similar)
   * @param {(error: Error) => void} [options.onSyncFailed] a page request failed; see the retry rule above
   * @param {number[]} [options.retryDelaysMs] delays before a failed page is requested again
   */
  constructor({
    transport, cursorStore, onMessage, onStatus = () => {}, onSyncFailed = () => {}, retryDelaysMs = PULL_RETRY_DELAYS_MS,
  }) {
    this.#retryDelaysMs = retryDelaysMs;
    this.#transport = transport;
    this.#cursors = cursorStore;
    this.#onMessage = onMessage;
    this.#onStatus = onStatus;
    this.#onSyncFailed = onSyncFailed;
    this.#cursor = cursorStore.load();
  }

  /**
   * Creates a sync loop for a client and subscribes it to the client's events, so it pulls on
   * every connect. Call before client.connect(). `detach()` on the result unsubscribes.
   * @param {import('./client.js').TidingsClient} client
   * @param {Omit<ConstructorParameters<typeof MessageSync>[0], 'transport'>} options
   */
  static attach(client, options) {
    const sync = new MessageSync({
      ...options,
      transport: {
        sync: (cursor) => client.sync(cursor),
        syncAck: (cursor) => client.syncAck(cursor),
      },
    });
    const subscriptions = [
      client.on('state', ({ state }) => {
        if (state === 'connected') {
          sync.handleConnected();
        } else {
          sync.handleDisconnected();
        }
      }),
      client.on('deliver', (deliver) => sync.handleDeliver(deliver)),
      client.on('notify', (notify) => sync.handleNotify(notify)),
    ];
    sync.detach = () => subscriptions.forEach((unsubscribe) => unsubscribe());
    return sync;
  }

  /** The newest sync time this device has. */
  get cursor() {
    return this.#cursor;
  }

  /**
   * Starts a pull now, or right after the running one. Resolves when the loop has no pull left
   * to run.
   */
  pull() {
    this.#requestPull();
    return this.#pullDone.promise;
  }

  /** Resolves once every queued pull has been handled. */
  whenIdle() {
    return this.#pullDone.promise;
  }

  /** Handles a new connection: pulls what the device missed. */
  handleConnected() {
    this.#connected = true;
    this.#requestPull();
  }

  /** Handles a lost or closed connection: a waiting retry ends the pull, as the next connect pulls anyway. */
  handleDisconnected() {
    this.#connected = false;
    if (this.#retryTimer !== null) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
      this.#endPull();
    }
  }

  /** Handles a Notify frame body. */
  handleNotify(notify) {
    if ((notify.latestSyncTime ?? 0) > this.#cursor) {
      this.#requestPull();
    }
  }

  /** Handles a Deliver frame body. */
  handleDeliver(deliver) {
    const entry = deliver.entry ?? {};
    const syncTime = entry.syncTime ?? 0;
    if (syncTime === 0) {
      this.#notify(this.#onStatus, entry);
      return;
    }
    if (this.#pulling) {
      this.#newestDroppedDuringPull = Math.max(this.#newestDroppedDuringPull, syncTime);
      return;
    }
    if (syncTime <= this.#cursor) {
      return;
    }
    if ((deliver.prevSyncTime ?? 0) > this.#cursor) {
      this.#requestPull();
      return;
    }
    this.#accept(entry);
    this.#advance(syncTime);
  }

  #requestPull() {
    if (this.#pulling) {
      this.#pullAgain = true;
      return;
    }
    if (this.#pullDone.settled) {
      this.#pullDone = openDeferred();
    }
    this.#pulling = true;
    this.#pullAgain = false;
    this.#newestDroppedDuringPull = 0;
    this.#pullPage();
  }

  #pullPage() {
    const requested = this.#cursor;
    let reply;
    Promise.resolve()
      .then(() => this.#transport.sync(requested))
      .then((result) => {
        reply = result ?? {};
        this.#failedPages = 0;
        for (const entry of reply.entries ?? []) {
          if ((entry.syncTime ?? 0) > this.#cursor) {
            this.#accept(entry);
          }
        }
        this.#advance(Math.max(this.#cursor, reply.nextCursor ?? 0));
        if (reply.hasMore && this.#cursor <= requested) {
          // A server bug, not a state a retry fixes: stop instead of requesting the same page forever.
          const error = new TidingsError('INTERNAL', `Sync after cursor ${requested} returned hasMore without advancing the cursor`);
          error.retryable = false;
          throw error;
        }
        if (reply.hasMore) {
          this.#pullPage();
          return;
        }
        this.#finishPull();
      })
      .catch((error) => this.#pageFailed(error));
  }

  /** Requests the page again after a delay while connected and the error is one a retry can fix, else ends the pull. */
  #pageFailed(error) {
    this.#notify(this.#onSyncFailed, error);
    const retried = error instanceof TidingsError && error.retryable !== false && RETRIED_CODES.has(error.code);
    if (!this.#connected || !retried) {
      this.#endPull();
      return;
    }
    const step = this.#retryDelaysMs[Math.min(this.#failedPages, this.#retryDelaysMs.length - 1)];
    this.#failedPages += 1;
    // Up to 20 % either way, so that the devices of a restarted server do not all retry at once.
    const delay = step * (0.8 + Math.random() * 0.4);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#connected) {
        this.#pullPage();
      } else {
        this.#endPull();
      }
    }, delay);
  }

  #endPull() {
    this.#pulling = false;
    this.#failedPages = 0;
    this.#pullDone.resolve();
  }

  #finishPull() {
    this.#pulling = false;
    // A lost ack costs nothing: the next Sync carries the same cursor and implies it.
    this.#transport.syncAck(this.#cursor).catch(() => {});
    if (this.#pullAgain || this.#newestDroppedDuringPull > this.#cursor) {
      this.#requestPull();
      return;
    }
    this.#pullDone.resolve();
  }

  #accept(entry) {
    const messageId = entry.message?.messageId;
    if (messageId) {
      if (this.#seenMessageIds.has(messageId)) {
        return;
      }
      this.#seenMessageIds.add(messageId);
      if (this.#seenMessageIds.size > SEEN_WINDOW) {
        // A Set iterates in insertion order, so the first id is the oldest.
        this.#seenMessageIds.delete(this.#seenMessageIds.values().next().value);
      }
    }
    this.#notify(this.#onMessage, entry);
  }

  #advance(syncTime) {
    if (syncTime > this.#cursor) {
      this.#cursor = syncTime;
      this.#cursors.save(syncTime);
    }
  }

  /** Calls an app callback; a callback that throws must not stop the sync loop. */
  #notify(callback, payload) {
    try {
      callback(payload);
    } catch (error) {
      console.error('tidings: a MessageSync callback failed', error);
    }
  }
}

function openDeferred() {
  const result = { settled: false };
  result.promise = new Promise((resolve) => {
    result.resolve = () => {
      result.settled = true;
      resolve();
    };
  });
  return result;
}

function settledDeferred() {
  const result = openDeferred();
  result.resolve();
  return result;
}
