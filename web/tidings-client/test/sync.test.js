import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReconnectBackoff } from '../src/backoff.js';
import { TidingsClient } from '../src/client.js';
import { MemoryCursorStore, WebStorageCursorStore } from '../src/cursor-store.js';
import { TidingsError } from '../src/errors.js';
import { MessageSync } from '../src/sync.js';
import { FakeClock, FakeWebSocket, flushPromises } from './support.js';

/**
 * A server inbox in the test: pages of `pageSize` after a cursor, like offline-svc. A page is
 * read when the Sync request arrives; with `hold` set, the reply waits until release().
 */
class TestInbox {
  entries = [];
  acks = [];
  syncCursors = [];
  pendingReplies = [];
  hold = false;

  constructor(pageSize = 200) {
    this.pageSize = pageSize;
  }

  append(messageId) {
    const last = this.entries[this.entries.length - 1];
    const entry = { syncTime: last ? last.syncTime + 1 : 1000, message: { messageId } };
    this.entries.push(entry);
    return entry;
  }

  deliverOf(entry) {
    const index = this.entries.indexOf(entry);
    return { entry, prevSyncTime: index === 0 ? 0 : this.entries[index - 1].syncTime };
  }

  sync(cursor) {
    this.syncCursors.push(cursor);
    const page = this.entries.filter((entry) => entry.syncTime > cursor).slice(0, this.pageSize);
    const nextCursor = page.length === 0 ? cursor : page[page.length - 1].syncTime;
    const reply = { entries: page, nextCursor, hasMore: this.entries.some((entry) => entry.syncTime > nextCursor) };
    if (!this.hold) {
      return Promise.resolve(reply);
    }
    return new Promise((resolve) => this.pendingReplies.push(() => resolve(reply)));
  }

  syncAck(cursor) {
    this.acks.push(cursor);
    return Promise.resolve();
  }

  release() {
    this.hold = false;
    this.pendingReplies.splice(0).forEach((resolve) => resolve());
  }
}

function open(inbox, cursor = 0, options = {}) {
  const received = [];
  const statuses = [];
  const failures = [];
  const cursorStore = new MemoryCursorStore(cursor);
  const sync = new MessageSync({
    transport: inbox,
    cursorStore,
    onMessage: (entry) => received.push(entry.message.messageId),
    onStatus: (entry) => statuses.push(entry.message.messageId),
    onSyncFailed: (error) => failures.push(error),
    ...options,
  });
  return { sync, received, statuses, failures, cursorStore };
}

function ids(prefix, count) {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

test('pull reads all pages in order', async () => {
  const inbox = new TestInbox(200);
  ids('m', 450).forEach((id) => inbox.append(id));
  const { sync, received, cursorStore } = open(inbox);

  await sync.pull();

  assert.deepEqual(received, ids('m', 450));
  assert.equal(inbox.syncCursors.length, 3, `cursors asked: ${inbox.syncCursors}`);
  assert.equal(sync.cursor, inbox.entries[449].syncTime);
  assert.equal(cursorStore.cursor, inbox.entries[449].syncTime);
  assert.deepEqual(inbox.acks, [inbox.entries[449].syncTime]);
});

test('pull starts from the stored cursor', async () => {
  const inbox = new TestInbox();
  ids('m', 5).forEach((id) => inbox.append(id));
  const { sync, received } = open(inbox, inbox.entries[2].syncTime);

  await sync.pull();

  assert.deepEqual(inbox.syncCursors, [inbox.entries[2].syncTime]);
  assert.deepEqual(received, ['m3', 'm4']);
});

test('contiguous push is delivered without pull', async () => {
  const inbox = new TestInbox();
  const { sync, received } = open(inbox);
  await sync.pull();

  const first = inbox.append('a');
  const second = inbox.append('b');
  sync.handleDeliver(inbox.deliverOf(first));
  sync.handleDeliver(inbox.deliverOf(second));
  await sync.whenIdle();

  assert.equal(sync.cursor, second.syncTime);
  assert.deepEqual(received, ['a', 'b']);
  assert.equal(inbox.syncCursors.length, 1, 'no pull expected after the first');
});

test('push after gap pulls the missing entry', async () => {
  const inbox = new TestInbox();
  const { sync, received } = open(inbox);
  await sync.pull();

  inbox.append('lost');
  const next = inbox.append('next');
  sync.handleDeliver(inbox.deliverOf(next));
  await sync.whenIdle();

  assert.equal(sync.cursor, next.syncTime);
  assert.deepEqual(received, ['lost', 'next']);
  assert.equal(inbox.syncCursors.length, 2);
});

test('push at or below the cursor is dropped', async () => {
  const inbox = new TestInbox();
  const { sync, received } = open(inbox);
  const entry = inbox.append('once');

  sync.handleDeliver(inbox.deliverOf(entry));
  sync.handleDeliver(inbox.deliverOf(entry));
  await sync.pull();

  assert.equal(sync.cursor, entry.syncTime);
  assert.deepEqual(received, ['once']);
});

test('same message id under a new sync time is delivered once', async () => {
  const inbox = new TestInbox();
  const { sync, received } = open(inbox);
  const first = inbox.append('dup');
  sync.handleDeliver(inbox.deliverOf(first));

  const again = inbox.append('dup');
  sync.handleDeliver(inbox.deliverOf(again));

  assert.deepEqual(received, ['dup']);
  assert.equal(sync.cursor, again.syncTime);
});

test('notify above the cursor pulls', async () => {
  const inbox = new TestInbox();
  const { sync, received } = open(inbox);
  ids('n', 5).forEach((id) => inbox.append(id));

  sync.handleNotify({ latestSyncTime: inbox.entries[4].syncTime });
  await sync.whenIdle();

  assert.equal(sync.cursor, inbox.entries[4].syncTime);
  assert.deepEqual(received, ids('n', 5));
});

test('notify at the cursor does not pull', async () => {
  const inbox = new TestInbox();
  const entry = inbox.append('seen');
  const { sync } = open(inbox, entry.syncTime);

  sync.handleNotify({ latestSyncTime: entry.syncTime });
  await sync.whenIdle();

  assert.equal(inbox.syncCursors.length, 0);
});

test('push during a pull is dropped and pulled again when newer', async () => {
  const inbox = new TestInbox();
  const { sync, received } = open(inbox);
  inbox.append('before');
  inbox.hold = true;
  const pull = sync.pull();
  await flushPromises();

  // The Sync request has read its page, so an entry appended now is not in the reply. Its push
  // arrives while the pull still runs: the loop drops it and must pull again.
  const late = inbox.append('late');
  sync.handleDeliver(inbox.deliverOf(late));
  assert.deepEqual(received, []);
  inbox.release();
  await pull;

  assert.equal(sync.cursor, late.syncTime);
  assert.deepEqual(received, ['before', 'late']);
  assert.equal(inbox.syncCursors.length, 2);
});

test('push during a pull that the pull covers causes no second pull', async () => {
  const inbox = new TestInbox();
  const { sync, received } = open(inbox);
  const entry = inbox.append('covered');
  inbox.hold = true;
  const pull = sync.pull();
  await flushPromises();

  sync.handleDeliver(inbox.deliverOf(entry));
  inbox.release();
  await pull;

  assert.deepEqual(received, ['covered']);
  assert.equal(inbox.syncCursors.length, 1);
});

test('pull requested during a pull runs after it', async () => {
  const inbox = new TestInbox();
  const { sync, received } = open(inbox);
  inbox.append('a');
  inbox.hold = true;
  const first = sync.pull();
  await flushPromises();

  inbox.append('b');
  const second = sync.pull();
  inbox.release();
  await Promise.all([first, second]);

  assert.deepEqual(received, ['a', 'b']);
  assert.equal(inbox.syncCursors.length, 2);
});

test('status-only entry goes to the status callback', () => {
  const inbox = new TestInbox();
  const { sync, received, statuses } = open(inbox);

  sync.handleDeliver({ entry: { message: { messageId: 'typing-1', flags: { statusOnly: true } } } });

  assert.equal(sync.cursor, 0);
  assert.deepEqual(statuses, ['typing-1']);
  assert.deepEqual(received, []);
});

test('failed pull is reported and retried by the next pull', async () => {
  const inbox = new TestInbox();
  inbox.append('m');
  const { sync, received, failures } = open(inbox);
  const realSync = inbox.sync.bind(inbox);
  inbox.sync = () => Promise.reject(new Error('connection lost'));

  await sync.pull();
  inbox.sync = realSync;
  await sync.pull();

  assert.equal(failures.length, 1);
  assert.equal(failures[0].message, 'connection lost');
  assert.deepEqual(received, ['m']);
});

test('failed page is requested again while connected', async () => {
  const inbox = new TestInbox(200);
  ids('m', 250).forEach((id) => inbox.append(id));
  const { sync, received, failures } = open(inbox, 0, { retryDelaysMs: [5] });
  const realSync = inbox.sync.bind(inbox);
  const failNext = ['UNAVAILABLE', 'TIMEOUT'];
  inbox.sync = (cursor) => {
    const code = failNext.shift();
    if (code) {
      inbox.syncCursors.push(cursor);
      return Promise.reject(new TidingsError(code, 'sync failed in the test'));
    }
    return realSync(cursor);
  };

  await sync.pull();

  assert.deepEqual(received, ids('m', 250));
  assert.deepEqual(failures.map((error) => error.code), ['UNAVAILABLE', 'TIMEOUT']);
  assert.deepEqual(inbox.syncCursors, [0, 0, 0, inbox.entries[199].syncTime]);
});

test('invalid argument ends the pull without retry', async () => {
  const inbox = new TestInbox();
  inbox.append('m');
  const { sync, received, failures } = open(inbox);
  inbox.sync = (cursor) => {
    inbox.syncCursors.push(cursor);
    return Promise.reject(new TidingsError('INVALID_ARGUMENT', 'bad cursor in the test'));
  };

  await sync.pull();

  assert.equal(failures.length, 1);
  assert.deepEqual(inbox.syncCursors, [0]);
  assert.deepEqual(received, []);
});

test('disconnect ends a waiting retry', async () => {
  const inbox = new TestInbox();
  inbox.append('m');
  const { sync, received, failures } = open(inbox, 0, { retryDelaysMs: [60_000] });
  const realSync = inbox.sync.bind(inbox);
  inbox.sync = () => Promise.reject(new TidingsError('UNAVAILABLE', 'offline-svc restarting in the test'));
  const pulled = sync.pull();
  await flushPromises();

  sync.handleDisconnected();
  await pulled;
  inbox.sync = realSync;
  sync.handleConnected();
  await sync.whenIdle();

  assert.equal(failures.length, 1);
  assert.deepEqual(received, ['m']);
});

test('reply with hasMore but no progress stops the pull', async () => {
  const { sync, failures } = open({
    sync: () => Promise.resolve({ entries: [], nextCursor: 0, hasMore: true }),
    syncAck: () => Promise.resolve(),
  });

  await sync.pull();

  assert.equal(failures.length, 1);
  assert.equal(failures[0].code, 'INTERNAL');
});

test('throwing callback does not stop the loop', async () => {
  const inbox = new TestInbox();
  ids('m', 3).forEach((id) => inbox.append(id));
  const received = [];
  const sync = new MessageSync({
    transport: inbox,
    cursorStore: new MemoryCursorStore(),
    onMessage: (entry) => {
      received.push(entry.message.messageId);
      if (entry.message.messageId === 'm1') {
        throw new Error('UI bug');
      }
    },
  });
  const originalError = console.error;
  console.error = () => {};
  try {
    await sync.pull();
  } finally {
    console.error = originalError;
  }

  assert.deepEqual(received, ['m0', 'm1', 'm2']);
  assert.equal(sync.cursor, inbox.entries[2].syncTime);
});

test('attached sync pulls on every connect', async () => {
  FakeWebSocket.reset();
  const clock = new FakeClock();
  const client = new TidingsClient({
    url: 'ws://127.0.0.1:7100/ws', token: 't', deviceId: 'd', WebSocket: FakeWebSocket, timers: clock,
    backoff: new ReconnectBackoff({ jitter: 0 }),
  });
  const received = [];
  MessageSync.attach(client, {
    cursorStore: new MemoryCursorStore(),
    onMessage: (entry) => received.push(entry.message.messageId),
  });
  client.connect();
  const first = FakeWebSocket.last;
  await first.acceptAndConnect();

  const sync1 = first.lastSent('sync');
  first.receive(sync1.requestId, 'syncReply', {
    entries: [{ syncTime: 10, message: { messageId: 'a' } }], nextCursor: 10, hasMore: false,
  });
  await flushPromises();
  first.receive(first.lastSent('syncAck').requestId, 'ok');
  first.drop(1006);
  await clock.advance(100);
  const second = FakeWebSocket.last;
  await second.acceptAndConnect();
  const sync2 = second.lastSent('sync');

  assert.equal(sync1.body.cursor ?? 0, 0);
  assert.equal(first.lastSent('syncAck').body.cursor, 10);
  assert.notEqual(second, first);
  assert.equal(sync2.body.cursor, 10);
  assert.deepEqual(received, ['a']);
});

test('Web Storage cursor store keeps one cursor per user and device', () => {
  const storage = new Map();
  const webStorage = {
    getItem: (key) => (storage.has(key) ? storage.get(key) : null),
    setItem: (key, value) => storage.set(key, value),
  };
  const alice = new WebStorageCursorStore('alice', 'd1', webStorage);
  const aliceOtherDevice = new WebStorageCursorStore('alice', 'd2', webStorage);

  alice.save(1234);

  assert.equal(new WebStorageCursorStore('alice', 'd1', webStorage).load(), 1234);
  assert.equal(aliceOtherDevice.load(), 0);
  storage.set(WebStorageCursorStore.key('bob', 'd1'), 'garbage');
  assert.equal(new WebStorageCursorStore('bob', 'd1', webStorage).load(), 0);
});
