// Test doubles: a fake clock for the client's timers and a fake WebSocket that records what the
// client sends and lets a test play the server.
import { decodeFrame, encodeFrame } from '../src/frame.js';

/** Lets pending promise callbacks run, the ones they schedule included. */
export function flushPromises() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock whose time moves only when the test advances it. */
export class FakeClock {
  #now = 1_700_000_000_000;
  #timers = new Map();
  #nextId = 1;

  setTimeout = (callback, ms) => {
    const id = this.#nextId++;
    this.#timers.set(id, { due: this.#now + Math.max(0, ms), callback });
    return id;
  };

  clearTimeout = (id) => {
    this.#timers.delete(id);
  };

  now = () => this.#now;

  /** Runs every timer due within `ms`, in time order, letting promises settle after each. */
  async advance(ms) {
    const target = this.#now + ms;
    await flushPromises();
    for (;;) {
      let nextId = null;
      let next = null;
      for (const [id, timer] of this.#timers) {
        if (timer.due <= target && (next === null || timer.due < next.due)) {
          nextId = id;
          next = timer;
        }
      }
      if (next === null) {
        break;
      }
      this.#timers.delete(nextId);
      this.#now = next.due;
      next.callback();
      await flushPromises();
    }
    this.#now = target;
  }
}

/**
 * A WebSocket in the shape browsers offer (onopen, onmessage, onclose, send, close, protocol).
 * Every instance is recorded in FakeWebSocket.instances.
 */
export class FakeWebSocket {
  static instances = [];

  constructor(url, protocol) {
    this.url = url;
    this.requestedProtocol = protocol;
    this.protocol = '';
    this.sent = [];
    this.closedByClient = null;
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
    FakeWebSocket.instances.push(this);
  }

  static reset() {
    FakeWebSocket.instances = [];
  }

  static get last() {
    return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  }

  send(text) {
    this.sent.push(decodeFrame(text));
  }

  close(code) {
    if (this.closedByClient !== null) {
      return;
    }
    this.closedByClient = code ?? 1005;
    queueMicrotask(() => this.onclose?.({ code: this.closedByClient, reason: '' }));
  }

  // --- The server side, driven by the test.

  /** Completes the handshake with the given subprotocol. */
  accept(protocol = this.requestedProtocol) {
    this.protocol = protocol;
    this.onopen?.({});
  }

  /** Sends a frame from the server. */
  receive(requestId, op, body = {}) {
    this.onmessage?.({ data: encodeFrame(requestId, op, body) });
  }

  /** Closes the connection from the server's side. */
  drop(code = 1006, reason = '') {
    this.onclose?.({ code, reason });
  }

  /** Returns the frames the client sent with the given op. */
  sentOps(op) {
    return this.sent.filter((frame) => frame.op === op);
  }

  /** Returns the last frame the client sent with the given op. */
  lastSent(op) {
    const frames = this.sentOps(op);
    return frames[frames.length - 1];
  }

  /** Accepts the handshake and replies to the Connect. */
  async acceptAndConnect(reply = { userId: 'alice', sessionId: 's1', serverTime: 1, heartbeatIntervalMs: 30_000 }) {
    this.accept();
    await flushPromises();
    const connect = this.lastSent('connect');
    this.receive(connect.requestId, 'connected', reply);
    await flushPromises();
    return connect;
  }
}
