import { ReconnectBackoff } from './backoff.js';
import { Emitter } from './emitter.js';
import { TidingsError } from './errors.js';
import { SocketAttempt } from './socket.js';

/** The client protocol version this module speaks. */
export const PROTOCOL_VERSION = 1;
export const SDK_VERSION = 'js/0.1.0';

/**
 * States of a TidingsClient connection. KICKED, TOKEN_EXPIRED, TOKEN_ERROR and CLOSED are
 * terminal: the client does not reconnect from them on its own.
 */
export const ConnectionState = Object.freeze({
  /** Not started yet. */
  IDLE: 'idle',
  /** Opening the first WebSocket and sending Connect. */
  CONNECTING: 'connecting',
  /** Authenticated: requests can be sent. */
  CONNECTED: 'connected',
  /** The connection was lost; the client reconnects with backoff. */
  RECONNECTING: 'reconnecting',
  /** The server ended the session with a Kicked frame (new login, revoked token, logout). */
  KICKED: 'kicked',
  /** The token has expired: get a new one, call updateToken() and connect() again. */
  TOKEN_EXPIRED: 'token_expired',
  /** The token was rejected as invalid or revoked. */
  TOKEN_ERROR: 'token_error',
  /** Closed by the app, by logout, or after an error that a retry cannot fix. */
  CLOSED: 'closed',
});

const TERMINAL_STATES = new Set([
  ConnectionState.KICKED, ConnectionState.TOKEN_EXPIRED, ConnectionState.TOKEN_ERROR, ConnectionState.CLOSED,
]);

/** Returns whether the client stays in `state` until the app connects again. */
export function isTerminalState(state) {
  return TERMINAL_STATES.has(state);
}

const DEFAULT_HEARTBEAT_MS = 30_000;

/** @type {import('./socket.js').Timers} */
const SYSTEM_TIMERS = Object.freeze({
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
  now: () => Date.now(),
});

/**
 * Payload of the "state" event.
 * @typedef {{state: string, code: string | null, detail: string}} StateChange
 */

/**
 * A Tidings client session over one WebSocket to connector-svc (path /ws), with automatic
 * reconnect, heartbeat and request/response correlation, speaking the JSON subprotocol.
 *
 * Events (subscribe with `on(event, listener)`):
 * - "state": a StateChange on every state transition;
 * - "deliver", "notify", "kicked": the body of each such frame the server sends on its own;
 * - "frame": every frame the server sends on its own, after the specific event.
 *
 * Typed calls such as send() reject with a TidingsError carrying the server's ErrorCode name.
 * After a lost connection the client reconnects with ReconnectBackoff; after Kicked or a token
 * error it stops and reports the state, because a retry with the same token cannot succeed.
 */
export class TidingsClient extends Emitter {
  #url;
  #token;
  #deviceId;
  #platform;
  #sdkVersion;
  #requestTimeoutMs;
  #openTimeoutMs;
  #backoff;
  #autoReconnect;
  #WebSocket;
  /** @type {import('./socket.js').Timers} */
  #timers;

  #state = ConnectionState.IDLE;
  /** @type {SocketAttempt | null} */
  #current = null;
  #attempt = 0;
  #nextRequestId = 0;
  #connectReply = null;
  #reconnectTimer = null;
  #firstConnect = null;

  /**
   * @param {object} options
   * @param {string} options.url WebSocket URL of connector-svc, for example "wss://chat.example.com/ws"
   * @param {string} options.token issued by the server API (AuthService.IssueToken)
   * @param {string} options.deviceId stable per browser profile, 1..128 characters
   * @param {string} [options.platform] Platform enum name, default "WEB"
   * @param {string} [options.sdkVersion] reported in Connect for logs and metrics
   * @param {number} [options.requestTimeoutMs] time a request waits for its reply (default 15000)
   * @param {number} [options.openTimeoutMs] time the WebSocket handshake may take (default 10000)
   * @param {ReconnectBackoff} [options.backoff]
   * @param {boolean} [options.autoReconnect] whether a lost connection is reopened (default true)
   * @param {typeof WebSocket} [options.WebSocket] WebSocket class, default the global one
   * @param {import('./socket.js').Timers} [options.timers] timer functions, for tests
   */
  constructor(options) {
    super();
    const { url, token, deviceId } = options ?? {};
    requireText('url', url);
    requireText('token', token);
    requireText('deviceId', deviceId);
    if (deviceId.length > 128) {
      throw new RangeError(`deviceId is ${deviceId.length} characters long; use 1..128`);
    }
    this.#url = url;
    this.#token = token;
    this.#deviceId = deviceId;
    this.#platform = options.platform ?? 'WEB';
    this.#sdkVersion = options.sdkVersion ?? SDK_VERSION;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.#openTimeoutMs = options.openTimeoutMs ?? 10_000;
    this.#backoff = options.backoff ?? new ReconnectBackoff();
    this.#autoReconnect = options.autoReconnect ?? true;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#timers = options.timers ?? SYSTEM_TIMERS;
    if (typeof this.#WebSocket !== 'function') {
      throw new TypeError('no WebSocket class: pass options.WebSocket outside browsers');
    }
  }

  get state() {
    return this.#state;
  }

  get deviceId() {
    return this.#deviceId;
  }

  /** The body of the latest ConnectReply (userId, sessionId, serverTime, heartbeatIntervalMs), or null. */
  get connectReply() {
    return this.#connectReply;
  }

  /** Replaces the token used by the next Connect, for example after TOKEN_EXPIRED. */
  updateToken(token) {
    requireText('token', token);
    this.#token = token;
  }

  /**
   * Opens the session. Resolves with the first ConnectReply body; while the server is
   * unreachable the client keeps retrying with backoff and the promise stays pending. Rejects
   * with a TidingsError when the server rejects the Connect for good (token error, unsupported
   * version) or the app closes the client first. A call while a connection is open or being
   * opened returns the same promise.
   * @returns {Promise<object>}
   */
  connect() {
    if (this.#state !== ConnectionState.IDLE && !isTerminalState(this.#state)) {
      return this.#firstConnect.promise;
    }
    this.#firstConnect = deferred();
    this.#attempt = 0;
    this.#changeState(ConnectionState.CONNECTING, null, `connecting to ${this.#url}`);
    this.#openSocket();
    return this.#firstConnect.promise;
  }

  /**
   * Skips the remaining reconnect delay, for example when the browser reports that it is online
   * again. Does nothing unless the client is reconnecting.
   */
  reconnectNow() {
    if (this.#state !== ConnectionState.RECONNECTING || this.#reconnectTimer === null) {
      return;
    }
    this.#timers.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    this.#openSocket();
  }

  // -------------------------------------------------------------------------------------------
  // Typed operations. Bodies use the proto3 JSON field names of client.proto.

  /**
   * Sends a message and resolves with the SendAck body after the server committed it. A retry
   * must reuse the clientMessageId, so the server de-duplicates it.
   */
  send(request) {
    return this.#call('send', request, 'sendAck');
  }

  /**
   * Returns inbox entries above a cursor, oldest first: {entries, nextCursor, hasMore}.
   * @param {number | object} cursorOrRequest a cursor or a SyncRequest body
   */
  sync(cursorOrRequest) {
    const request = typeof cursorOrRequest === 'number' ? { cursor: cursorOrRequest } : cursorOrRequest;
    return this.#call('sync', request, 'syncReply');
  }

  /** Records that this device has every inbox entry up to `cursor`. */
  syncAck(cursor) {
    return this.#call('syncAck', { cursor }, 'ok');
  }

  /**
   * Returns a page of a conversation's history, newest first: {messages, hasMore}.
   * @param {{conversation: object, beforeTime?: number, count?: number}} request
   */
  history(request) {
    return this.#call('history', request, 'historyReply');
  }

  /** Clears the unread count of one conversation for this user. */
  markRead(conversation) {
    return this.#call('markRead', { conversation }, 'ok');
  }

  /**
   * Ends the session on the server and removes this device's push token. The client moves to
   * CLOSED and does not reconnect.
   */
  async logout() {
    try {
      await this.#call('logout', {}, 'ok');
    } finally {
      this.#enterTerminal(ConnectionState.CLOSED, null, 'logged out');
    }
  }

  /**
   * Sends any request and resolves with the reply frame, which may be an error frame. The
   * requestId is assigned here. Prefer the typed methods.
   * @returns {Promise<import('./frame.js').DecodedFrame>}
   */
  request(op, body = {}) {
    if (this.#state !== ConnectionState.CONNECTED || !this.#current) {
      return Promise.reject(new TidingsError('NOT_CONNECTED',
        `the client is ${this.#state}, not connected: wait for the "connected" state before sending ${op}`));
    }
    return this.#current.request(++this.#nextRequestId, op, body, this.#requestTimeoutMs);
  }

  /** Closes the WebSocket normally and stops reconnecting. */
  close() {
    this.#enterTerminal(ConnectionState.CLOSED, null, 'closed by the app');
  }

  async #call(op, body, expectedOp) {
    const reply = await this.request(op, body);
    if (reply.op === 'error') {
      throw new TidingsError(reply.body.code ?? 'ERROR_CODE_UNSPECIFIED', reply.body.message ?? '');
    }
    if (reply.op !== expectedOp) {
      throw new TidingsError('INTERNAL', `expected a ${expectedOp} reply to ${op} but got ${reply.op}`);
    }
    return reply.body;
  }

  // -------------------------------------------------------------------------------------------
  // Connection life cycle.

  #openSocket() {
    this.#reconnectTimer = null;
    if (isTerminalState(this.#state)) {
      return;
    }
    const attempt = new SocketAttempt({
      onSocketOpen: (socket) => this.#onSocketOpen(socket),
      onServerFrame: (socket, frame) => this.#onServerFrame(socket, frame),
      onSocketLost: (socket, reason) => this.#onSocketLost(socket, reason),
    }, this.#timers);
    this.#current = attempt;
    attempt.open(this.#url, this.#WebSocket, this.#openTimeoutMs);
  }

  async #onSocketOpen(socket) {
    const connect = {
      token: this.#token,
      deviceId: this.#deviceId,
      platform: this.#platform,
      sdkVersion: this.#sdkVersion,
      protocolVersion: PROTOCOL_VERSION,
    };
    let reply;
    try {
      reply = await socket.request(++this.#nextRequestId, 'connect', connect, this.#requestTimeoutMs);
    } catch (error) {
      socket.abort(`Connect failed: ${error.message}`);
      return;
    }
    if (reply.op === 'connected') {
      this.#onConnected(socket, reply.body);
    } else if (reply.op === 'error') {
      this.#onConnectRejected(socket, reply.body);
    } else {
      socket.abort(`unexpected reply to Connect: ${reply.op}`);
    }
  }

  #onConnected(socket, reply) {
    if (socket !== this.#current || isTerminalState(this.#state)) {
      return;
    }
    this.#attempt = 0;
    this.#connectReply = reply;
    const interval = reply.heartbeatIntervalMs > 0 ? reply.heartbeatIntervalMs : DEFAULT_HEARTBEAT_MS;
    socket.startHeartbeat(interval, (heartbeatSocket) =>
      heartbeatSocket.request(++this.#nextRequestId, 'ping', {}, this.#requestTimeoutMs));
    this.#changeState(ConnectionState.CONNECTED, null, `connected as user ${reply.userId}, session ${reply.sessionId}`);
    this.#firstConnect.resolve(reply);
  }

  #onConnectRejected(socket, error) {
    const code = error.code ?? 'ERROR_CODE_UNSPECIFIED';
    const message = error.message ?? '';
    switch (code) {
      case 'TOKEN_EXPIRED':
        this.#enterTerminal(ConnectionState.TOKEN_EXPIRED, code, message);
        break;
      case 'TOKEN_INVALID':
      case 'TOKEN_REVOKED':
        this.#enterTerminal(ConnectionState.TOKEN_ERROR, code, message);
        break;
      case 'UNAVAILABLE':
      case 'TIMEOUT':
      case 'INTERNAL':
        socket.abort(`Connect failed with ${code}: ${message}`);
        break;
      default:
        // UNSUPPORTED_VERSION, INVALID_ARGUMENT, TOO_MANY_CONNECTIONS: the same Connect would
        // fail again, so the app has to act.
        this.#enterTerminal(ConnectionState.CLOSED, code, message);
    }
  }

  /** Handles a frame the server sent on its own (requestId 0, or an error for no pending request). */
  #onServerFrame(socket, frame) {
    if (socket !== this.#current) {
      return;
    }
    switch (frame.op) {
      case 'deliver':
        this.emit('deliver', frame.body);
        break;
      case 'notify':
        this.emit('notify', frame.body);
        break;
      case 'kicked': {
        const kicked = frame.body;
        this.emit('kicked', kicked);
        const by = kicked.byDeviceId ? ` by device ${kicked.byDeviceId} (${kicked.byPlatform ?? 'PLATFORM_UNSPECIFIED'})` : '';
        this.#enterTerminal(ConnectionState.KICKED, kicked.reason === 'TOKEN_REVOKED' ? 'TOKEN_REVOKED' : null,
          `kicked: ${kicked.reason ?? 'REASON_UNSPECIFIED'}${by}`);
        break;
      }
      case 'reconnect':
        this.#reconnectAfter(socket, Math.max(0, frame.body.afterMs ?? 0));
        break;
      case 'error':
        this.#onUnsolicitedError(frame.body);
        break;
      default:
        break;
    }
    this.emit('frame', frame);
  }

  #onUnsolicitedError(error) {
    switch (error.code) {
      case 'TOKEN_EXPIRED':
        this.#enterTerminal(ConnectionState.TOKEN_EXPIRED, error.code, error.message ?? '');
        break;
      case 'TOKEN_INVALID':
      case 'TOKEN_REVOKED':
        this.#enterTerminal(ConnectionState.TOKEN_ERROR, error.code, error.message ?? '');
        break;
      default:
        console.warn(`tidings: the server reported ${error.code}: ${error.message ?? ''}`);
    }
  }

  /** Handles a Reconnect frame: reconnect after the server's delay, skipping the backoff. */
  #reconnectAfter(socket, afterMs) {
    if (socket !== this.#current || isTerminalState(this.#state)) {
      return;
    }
    socket.markReplaced();
    this.#attempt = 0;
    this.#scheduleReconnect(afterMs);
    socket.closeNormally('reconnecting on server request');
    this.#changeState(ConnectionState.RECONNECTING, 'UNAVAILABLE', 'the server asked to reconnect');
  }

  #onSocketLost(socket, reason) {
    if (socket !== this.#current || isTerminalState(this.#state)) {
      return;
    }
    if (!this.#autoReconnect) {
      this.#enterTerminal(ConnectionState.CLOSED, 'UNAVAILABLE', reason);
      return;
    }
    this.#scheduleReconnect(this.#backoff.delay(this.#attempt++));
    this.#changeState(ConnectionState.RECONNECTING, 'UNAVAILABLE', reason);
  }

  #scheduleReconnect(delayMs) {
    if (this.#reconnectTimer !== null) {
      this.#timers.clearTimeout(this.#reconnectTimer);
    }
    this.#reconnectTimer = this.#timers.setTimeout(() => this.#openSocket(), delayMs);
  }

  #enterTerminal(terminal, code, detail) {
    if (isTerminalState(this.#state)) {
      return;
    }
    if (this.#reconnectTimer !== null) {
      this.#timers.clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = null;
    }
    const socket = this.#current;
    this.#current = null;
    socket?.closeNormally(detail);
    this.#changeState(terminal, code, detail);
    this.#firstConnect?.reject(new TidingsError(code ?? 'UNAVAILABLE', `connection ended in state ${terminal}: ${detail}`));
  }

  #changeState(next, code, detail) {
    const current = this.#state;
    if (current === next || (isTerminalState(current) && !isTerminalState(next) && next !== ConnectionState.CONNECTING)) {
      return;
    }
    this.#state = next;
    this.emit('state', { state: next, code, detail });
  }
}

function requireText(name, value) {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${name} is missing: pass a non-empty string`);
  }
}

/**
 * Creates a promise with its settle functions. Settling twice is a no-op, as with any promise.
 * The rejection is marked handled because the "state" event reports the same failure, so an app
 * that never awaits connect() gets no unhandled-rejection report.
 */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
