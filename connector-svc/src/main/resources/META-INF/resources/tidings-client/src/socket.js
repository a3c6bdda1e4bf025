import { TidingsError } from './errors.js';
import { SUBPROTOCOL_JSON, decodeFrame, encodeFrame } from './frame.js';

/** Silence longer than this many heartbeat intervals means the server or the path is gone. */
const SILENCE_LIMIT_INTERVALS = 2.5;

/**
 * Callbacks of a SocketAttempt into its client.
 * @typedef {object} SocketOwner
 * @property {(attempt: SocketAttempt) => void} onSocketOpen
 * @property {(attempt: SocketAttempt, frame: import('./frame.js').DecodedFrame) => void} onServerFrame
 * @property {(attempt: SocketAttempt, reason: string) => void} onSocketLost
 */

/**
 * Timer functions, injectable so that tests can run a fake clock.
 * @typedef {object} Timers
 * @property {(callback: () => void, ms: number) => any} setTimeout
 * @property {(handle: any) => void} clearTimeout
 * @property {() => number} now milliseconds since the epoch
 */

/**
 * One WebSocket attempt of a TidingsClient: it owns the socket, the requests pending on it and
 * its heartbeat. A reconnect creates a new attempt, so replies and failures of an old socket
 * never reach requests of a new one.
 */
export class SocketAttempt {
  /** @type {SocketOwner} */
  #owner;
  /** @type {Timers} */
  #timers;
  #ws = null;
  #pending = new Map();
  #heartbeatTimer = null;
  #lastReceived = 0;
  #lost = false;
  #replaced = false;

  /**
   * @param {SocketOwner} owner
   * @param {Timers} timers
   */
  constructor(owner, timers) {
    this.#owner = owner;
    this.#timers = timers;
  }

  get isLost() {
    return this.#lost;
  }

  /**
   * Opens the WebSocket with the JSON subprotocol.
   * @param {string} url
   * @param {typeof WebSocket} WebSocketImpl
   * @param {number} openTimeoutMs
   */
  open(url, WebSocketImpl, openTimeoutMs) {
    let ws;
    try {
      ws = new WebSocketImpl(url, SUBPROTOCOL_JSON);
    } catch (error) {
      // A malformed URL throws synchronously; report it like any failed attempt, but after
      // the caller has finished its own state change.
      this.#timers.setTimeout(() => this.#markLost(`cannot open ${url}: ${error.message}`), 0);
      return;
    }
    this.#ws = ws;
    let opened = false;
    const openTimer = this.#timers.setTimeout(() => {
      if (!opened) {
        this.abort(`no WebSocket handshake with ${url} within ${openTimeoutMs} ms`);
      }
    }, openTimeoutMs);

    ws.onopen = () => {
      opened = true;
      this.#timers.clearTimeout(openTimer);
      if (this.#lost) {
        return;
      }
      if (ws.protocol !== SUBPROTOCOL_JSON) {
        this.abort(`the server chose subprotocol "${ws.protocol}" instead of ${SUBPROTOCOL_JSON}`);
        return;
      }
      this.#lastReceived = this.#timers.now();
      this.#owner.onSocketOpen(this);
    };
    ws.onmessage = (event) => this.#onMessage(event.data);
    ws.onclose = (event) => {
      this.#timers.clearTimeout(openTimer);
      const reason = event.reason ? `: ${event.reason}` : '';
      this.#markLost(`the WebSocket closed with code ${event.code}${reason}`);
    };
    // Browsers give an error event no detail and always follow it with a close event, which
    // reports the loss.
    ws.onerror = () => {};
  }

  /**
   * Sends a request frame and resolves with its reply frame, which may be an error frame.
   * Rejects with TIMEOUT when no reply comes in time and UNAVAILABLE when the socket is lost.
   * @returns {Promise<import('./frame.js').DecodedFrame>}
   */
  request(requestId, op, body, timeoutMs) {
    return new Promise((resolve, reject) => {
      if (this.#lost || !this.#ws) {
        reject(new TidingsError('UNAVAILABLE', `cannot send ${op}: the connection is lost`));
        return;
      }
      const timer = this.#timers.setTimeout(() => {
        if (this.#pending.delete(requestId)) {
          reject(new TidingsError('TIMEOUT', `no reply to ${op} request ${requestId} within ${timeoutMs} ms`));
        }
      }, timeoutMs);
      this.#pending.set(requestId, { resolve, reject, timer });
      try {
        this.#ws.send(encodeFrame(requestId, op, body));
      } catch (error) {
        this.#pending.delete(requestId);
        this.#timers.clearTimeout(timer);
        reject(new TidingsError('UNAVAILABLE', `cannot send ${op}: ${error.message}`));
      }
    });
  }

  /**
   * Sends `ping` every interval and drops the socket after 2.5 intervals without any frame from
   * the server.
   * @param {number} intervalMs
   * @param {(attempt: SocketAttempt) => Promise<unknown>} ping
   */
  startHeartbeat(intervalMs, ping) {
    const silenceLimitMs = intervalMs * SILENCE_LIMIT_INTERVALS;
    const tick = () => {
      if (this.#lost) {
        return;
      }
      const silenceMs = this.#timers.now() - this.#lastReceived;
      if (silenceMs > silenceLimitMs) {
        this.abort(`no frame from the server for ${silenceMs} ms (limit ${silenceLimitMs} ms)`);
        return;
      }
      // A Pong that never comes shows up as silence in a later tick, so a failed Ping needs no
      // handling of its own.
      ping(this).catch(() => {});
      this.#heartbeatTimer = this.#timers.setTimeout(tick, intervalMs);
    };
    this.#heartbeatTimer = this.#timers.setTimeout(tick, intervalMs);
  }

  /** Marks this socket as superseded by a new one, so its close does not trigger a reconnect. */
  markReplaced() {
    this.#replaced = true;
  }

  /** Closes the socket with code 1000 and fails its pending requests, without a reconnect. */
  closeNormally(reason) {
    this.#replaced = true;
    this.#closeSocket(1000);
    this.#markLost(reason);
  }

  /** Drops the socket at once and reports it lost, which lets the client reconnect. */
  abort(reason) {
    this.#closeSocket(1000);
    this.#markLost(reason);
  }

  #closeSocket(code) {
    const ws = this.#ws;
    if (!ws) {
      return;
    }
    try {
      ws.close(code);
    } catch (error) {
      console.debug('tidings: closing the WebSocket failed', error);
    }
  }

  #onMessage(data) {
    this.#lastReceived = this.#timers.now();
    if (typeof data !== 'string') {
      console.warn(`tidings: ignoring a binary frame: this client negotiated ${SUBPROTOCOL_JSON}`);
      return;
    }
    let frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      console.warn(`tidings: ignoring an unreadable frame of ${data.length} characters`, error);
      return;
    }
    if (frame.requestId !== 0) {
      const pending = this.#pending.get(frame.requestId);
      if (pending) {
        this.#pending.delete(frame.requestId);
        this.#timers.clearTimeout(pending.timer);
        pending.resolve(frame);
        return;
      }
      if (frame.op !== 'error') {
        // A reply after its request timed out.
        return;
      }
    }
    this.#owner.onServerFrame(this, frame);
  }

  #markLost(reason) {
    if (this.#lost) {
      return;
    }
    this.#lost = true;
    this.#timers.clearTimeout(this.#heartbeatTimer);
    for (const [requestId, pending] of this.#pending) {
      this.#timers.clearTimeout(pending.timer);
      pending.reject(new TidingsError('UNAVAILABLE', `connection lost before the reply to request ${requestId}: ${reason}`));
    }
    this.#pending.clear();
    if (!this.#replaced) {
      this.#owner.onSocketLost(this, reason);
    }
  }
}
