import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { ReconnectBackoff } from '../src/backoff.js';
import { ConnectionState, TidingsClient } from '../src/client.js';
import { FakeClock, FakeWebSocket, flushPromises } from './support.js';

let clock;
let states;

function newClient(options = {}) {
  const client = new TidingsClient({
    url: 'ws://127.0.0.1:7100/ws',
    token: 'token-1',
    deviceId: 'device-1',
    WebSocket: FakeWebSocket,
    timers: clock,
    backoff: new ReconnectBackoff({ jitter: 0 }),
    ...options,
  });
  client.on('state', (change) => states.push(change.state));
  return client;
}

beforeEach(() => {
  FakeWebSocket.reset();
  clock = new FakeClock();
  states = [];
});

test('connect sends Connect with protocol version 1 and platform WEB', async () => {
  const client = newClient();
  const connected = client.connect();

  const connect = await FakeWebSocket.last.acceptAndConnect();

  assert.equal(FakeWebSocket.last.url, 'ws://127.0.0.1:7100/ws');
  assert.equal(FakeWebSocket.last.requestedProtocol, 'tidings.v1.json');
  assert.equal(connect.body.protocolVersion, 1);
  assert.equal(connect.body.platform, 'WEB');
  assert.equal(connect.body.token, 'token-1');
  assert.equal(connect.body.deviceId, 'device-1');
  assert.equal(connect.body.sdkVersion, 'js/0.1.0');
  assert.notEqual(connect.requestId, 0);
  assert.equal((await connected).userId, 'alice');
  assert.equal(client.state, ConnectionState.CONNECTED);
  assert.deepEqual(states, ['connecting', 'connected']);
});

test('replies reach their requests by request id', async () => {
  const client = newClient();
  client.connect();
  const socket = FakeWebSocket.last;
  await socket.acceptAndConnect();

  const first = client.sync(10);
  const second = client.sync(20);
  await flushPromises();
  const [firstFrame, secondFrame] = socket.sentOps('sync');
  socket.receive(secondFrame.requestId, 'syncReply', { nextCursor: 20 });
  socket.receive(firstFrame.requestId, 'syncReply', { nextCursor: 10 });

  assert.notEqual(firstFrame.requestId, secondFrame.requestId);
  assert.equal((await first).nextCursor, 10);
  assert.equal((await second).nextCursor, 20);
});

test('error reply rejects with its code', async () => {
  const client = newClient();
  client.connect();
  const socket = FakeWebSocket.last;
  await socket.acceptAndConnect();

  const sent = client.send({ clientMessageId: 'c1', conversation: { type: 'GROUP', targetId: 'g1' } });
  await flushPromises();
  socket.receive(socket.lastSent('send').requestId, 'error', { code: 'NOT_GROUP_MEMBER', message: 'alice is not in g1' });

  await assert.rejects(sent, { name: 'TidingsError', code: 'NOT_GROUP_MEMBER', message: 'alice is not in g1' });
});

test('request without reply times out', async () => {
  const client = newClient({ requestTimeoutMs: 5000 });
  client.connect();
  await FakeWebSocket.last.acceptAndConnect();

  const sent = client.send({ clientMessageId: 'c1' });
  const rejected = assert.rejects(sent, { code: 'TIMEOUT' });
  await clock.advance(5000);

  await rejected;
});

test('request before connected fails with NOT_CONNECTED', async () => {
  const client = newClient();

  await assert.rejects(client.sync(0), { code: 'NOT_CONNECTED' });
});

test('pending request fails with UNAVAILABLE when the socket drops', async () => {
  const client = newClient();
  client.connect();
  const socket = FakeWebSocket.last;
  await socket.acceptAndConnect();

  const sent = client.send({ clientMessageId: 'c1' });
  await flushPromises();
  socket.drop(1006);

  await assert.rejects(sent, { code: 'UNAVAILABLE' });
  assert.equal(client.state, ConnectionState.RECONNECTING);
});

test('heartbeat pings at the interval from ConnectReply', async () => {
  const client = newClient();
  client.connect();
  const socket = FakeWebSocket.last;
  await socket.acceptAndConnect({ userId: 'alice', sessionId: 's1', heartbeatIntervalMs: 5000 });

  await clock.advance(4999);
  assert.equal(socket.sentOps('ping').length, 0);
  await clock.advance(1);
  assert.equal(socket.sentOps('ping').length, 1);
  socket.receive(socket.lastSent('ping').requestId, 'pong', { serverTime: 5 });
  await clock.advance(5000);

  assert.equal(socket.sentOps('ping').length, 2);
  assert.equal(client.state, ConnectionState.CONNECTED);
});

test('silent server is dropped after 2.5 heartbeat intervals', async () => {
  const client = newClient({ requestTimeoutMs: 60_000 });
  client.connect();
  const socket = FakeWebSocket.last;
  await socket.acceptAndConnect({ userId: 'alice', sessionId: 's1', heartbeatIntervalMs: 1000 });

  await clock.advance(2000);
  assert.equal(client.state, ConnectionState.CONNECTED);
  await clock.advance(1000);

  assert.equal(client.state, ConnectionState.RECONNECTING);
  assert.equal(socket.closedByClient, 1000);
});

test('reconnect delays follow the backoff steps', async () => {
  const client = newClient();
  client.connect();
  const opened = [clock.now()];
  FakeWebSocket.last.drop(1006);
  for (let attempt = 0; attempt < 7; attempt++) {
    const before = FakeWebSocket.instances.length;
    while (FakeWebSocket.instances.length === before) {
      await clock.advance(100);
    }
    opened.push(clock.now());
    FakeWebSocket.last.drop(1006);
  }

  const delays = opened.slice(1).map((time, i) => time - opened[i]);
  assert.deepEqual(delays, [100, 1000, 3000, 6000, 10000, 18000, 18000]);
  assert.deepEqual(states, ['connecting', 'reconnecting']);
});

test('successful connect resets the backoff', async () => {
  const client = newClient();
  client.connect();
  FakeWebSocket.last.drop(1006);
  await clock.advance(100);
  FakeWebSocket.last.drop(1006);
  await clock.advance(1000);
  await FakeWebSocket.last.acceptAndConnect();

  const before = FakeWebSocket.instances.length;
  FakeWebSocket.last.drop(1006);
  await clock.advance(100);

  assert.equal(FakeWebSocket.instances.length, before + 1);
  assert.deepEqual(states, ['connecting', 'reconnecting', 'connected', 'reconnecting']);
});

test('Reconnect frame reconnects without backoff', async () => {
  const client = newClient();
  client.connect();
  const first = FakeWebSocket.last;
  await first.acceptAndConnect();

  first.receive(0, 'reconnect', {});
  await clock.advance(0);

  assert.equal(FakeWebSocket.instances.length, 2);
  assert.equal(first.closedByClient, 1000);
  await FakeWebSocket.last.acceptAndConnect();
  assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connected']);
});

test('kicked client does not reconnect', async () => {
  const client = newClient();
  const kicks = [];
  client.on('kicked', (kicked) => kicks.push(kicked));
  client.connect();
  const socket = FakeWebSocket.last;
  await socket.acceptAndConnect();

  socket.receive(0, 'kicked', { reason: 'NEW_LOGIN', byPlatform: 'WEB', byDeviceId: 'device-2' });
  socket.drop(1000);
  await clock.advance(120_000);

  assert.equal(client.state, ConnectionState.KICKED);
  assert.equal(FakeWebSocket.instances.length, 1);
  assert.deepEqual(kicks, [{ reason: 'NEW_LOGIN', byPlatform: 'WEB', byDeviceId: 'device-2' }]);
  assert.deepEqual(states, ['connecting', 'connected', 'kicked']);
});

for (const [code, state] of [['TOKEN_EXPIRED', 'token_expired'], ['TOKEN_INVALID', 'token_error'], ['TOKEN_REVOKED', 'token_error']]) {
  test(`Connect rejected with ${code} stops in ${state}`, async () => {
    const client = newClient();
    const connected = client.connect();
    const socket = FakeWebSocket.last;
    socket.accept();
    await flushPromises();

    socket.receive(socket.lastSent('connect').requestId, 'error', { code, message: 'bad token' });
    await clock.advance(120_000);

    await assert.rejects(connected, { code });
    assert.equal(client.state, state);
    assert.equal(FakeWebSocket.instances.length, 1);
  });
}

test('token error while connected stops the client', async () => {
  const client = newClient();
  client.connect();
  const socket = FakeWebSocket.last;
  await socket.acceptAndConnect();

  socket.receive(0, 'error', { code: 'TOKEN_EXPIRED', message: 'token expired at 12:00' });
  await clock.advance(120_000);

  assert.equal(client.state, ConnectionState.TOKEN_EXPIRED);
  assert.equal(FakeWebSocket.instances.length, 1);
});

test('Connect rejected with UNAVAILABLE retries', async () => {
  const client = newClient();
  client.connect();
  const socket = FakeWebSocket.last;
  socket.accept();
  await flushPromises();

  socket.receive(socket.lastSent('connect').requestId, 'error', { code: 'UNAVAILABLE', message: 'redis down' });
  await clock.advance(100);

  assert.equal(client.state, ConnectionState.RECONNECTING);
  assert.equal(FakeWebSocket.instances.length, 2);
});

test('close ends the session and stops reconnecting', async () => {
  const client = newClient();
  const connected = client.connect();
  const socket = FakeWebSocket.last;
  await socket.acceptAndConnect();
  await connected;

  client.close();
  await clock.advance(120_000);

  assert.equal(client.state, ConnectionState.CLOSED);
  assert.equal(socket.closedByClient, 1000);
  assert.equal(FakeWebSocket.instances.length, 1);
  assert.deepEqual(states, ['connecting', 'connected', 'closed']);
});

test('connect after a terminal state opens a new session', async () => {
  const client = newClient();
  client.connect();
  FakeWebSocket.last.accept();
  await flushPromises();
  FakeWebSocket.last.receive(FakeWebSocket.last.lastSent('connect').requestId, 'error', { code: 'TOKEN_EXPIRED' });
  await flushPromises();

  client.updateToken('token-2');
  const connected = client.connect();
  const connect = await FakeWebSocket.last.acceptAndConnect();

  assert.equal(connect.body.token, 'token-2');
  assert.equal((await connected).userId, 'alice');
  assert.deepEqual(states, ['connecting', 'token_expired', 'connecting', 'connected']);
});

test('server frames reach deliver and notify listeners', async () => {
  const client = newClient();
  const delivered = [];
  const notified = [];
  client.on('deliver', (deliver) => delivered.push(deliver));
  client.on('notify', (notify) => notified.push(notify));
  client.connect();
  const socket = FakeWebSocket.last;
  await socket.acceptAndConnect();

  socket.receive(0, 'deliver', { entry: { syncTime: 5, message: { messageId: 'm1' } }, prevSyncTime: 4 });
  socket.receive(0, 'notify', { latestSyncTime: 9 });

  assert.deepEqual(delivered, [{ entry: { syncTime: 5, message: { messageId: 'm1' } }, prevSyncTime: 4 }]);
  assert.deepEqual(notified, [{ latestSyncTime: 9 }]);
});

test('wrong subprotocol from the server is rejected', async () => {
  const client = newClient();
  client.connect();

  FakeWebSocket.last.accept('tidings.v1.proto');
  await flushPromises();

  assert.equal(FakeWebSocket.last.sentOps('connect').length, 0);
  assert.equal(client.state, ConnectionState.RECONNECTING);
});

test('constructor rejects missing settings', () => {
  assert.throws(() => new TidingsClient({ token: 't', deviceId: 'd', WebSocket: FakeWebSocket }), /url is missing/);
  assert.throws(() => new TidingsClient({ url: 'ws://x', deviceId: 'd', WebSocket: FakeWebSocket }), /token is missing/);
  assert.throws(() => new TidingsClient({ url: 'ws://x', token: 't', deviceId: 'd'.repeat(129), WebSocket: FakeWebSocket }),
    /deviceId is 129 characters long/);
});
