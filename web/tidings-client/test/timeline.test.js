import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConversationTimeline, conversationKey, newClientMessageId } from '../src/timeline.js';

const CONVERSATION = { type: 'PRIVATE', targetId: 'bob' };

function message(id, serverTime, senderId = 'bob', clientMessageId = `c-${id}`) {
  return { messageId: id, clientMessageId, senderId, serverTime, contentType: 'text', content: '' };
}

/**
 * A conversation's history on the server: `messages` oldest first; pages newest first before an
 * exclusive beforeTime, like history-svc.
 */
class TestHistory {
  requests = [];

  constructor(messages) {
    this.messages = messages;
  }

  load = async ({ conversation, beforeTime, count }) => {
    this.requests.push({ conversation, beforeTime, count });
    const older = this.messages.filter((m) => beforeTime === 0 || m.serverTime < beforeTime);
    const page = older.slice(Math.max(0, older.length - count)).reverse();
    return { messages: page, hasMore: older.length > count };
  };
}

function timeline(history, pageSize = 3) {
  return new ConversationTimeline({ conversation: CONVERSATION, userId: 'alice', loadHistory: history.load, pageSize });
}

function idsOf(line) {
  return line.items().map((item) => item.messageId ?? `pending:${item.clientMessageId}`);
}

test('load older pages back to the start', async () => {
  const history = new TestHistory([1, 2, 3, 4, 5, 6, 7].map((i) => message(`m${i}`, i * 10)));
  const line = timeline(history);

  const first = await line.loadOlder();
  const second = await line.loadOlder();
  const third = await line.loadOlder();

  assert.deepEqual(idsOf(line), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
  assert.deepEqual([first.added, second.added, third.added], [3, 2, 2]);
  assert.equal(third.hasOlder, false);
  assert.equal(line.hasOlder, false);
  assert.deepEqual(history.requests.map((r) => r.beforeTime), [0, 51, 31]);
  assert.deepEqual(history.requests[0].conversation, CONVERSATION);
  assert.equal(history.requests[0].count, 3);
});

test('inbox messages and history merge without duplicates', async () => {
  const all = [1, 2, 3, 4, 5].map((i) => message(`m${i}`, i * 10));
  const history = new TestHistory(all);
  const line = timeline(history);
  line.addMessage(all[3]);
  line.addMessage(all[4]);

  await line.loadOlder();
  await line.loadOlder();

  assert.deepEqual(idsOf(line), ['m1', 'm2', 'm3', 'm4', 'm5']);
  assert.equal(history.requests[0].beforeTime, 41);
});

test('page boundary inside one millisecond skips nothing', async () => {
  // m2, m3 and m4 share server time 20; a page of 2 before 31 contains m4 and m3 only.
  const history = new TestHistory([
    message('m1', 10), message('m2', 20), message('m3', 20), message('m4', 20), message('m5', 30),
  ]);
  const line = timeline(history, 2);

  while (line.hasOlder) {
    await line.loadOlder();
  }

  assert.deepEqual(idsOf(line), ['m1', 'm2', 'm3', 'm4', 'm5']);
});

test('page of only known messages reads a larger page', async () => {
  const history = new TestHistory([message('m1', 10), message('m2', 20), message('m3', 20)]);
  const line = timeline(history, 2);
  line.addMessage(history.messages[1]);
  line.addMessage(history.messages[2]);

  const result = await line.loadOlder();

  assert.equal(result.added, 1);
  assert.deepEqual(idsOf(line), ['m1', 'm2', 'm3']);
  assert.deepEqual(history.requests.map((r) => [r.beforeTime, r.count]), [[21, 2], [21, 4]]);
});

test('over 100 messages in one millisecond steps past it', async () => {
  const sameTime = Array.from({ length: 120 }, (_, i) => message(`s${String(i).padStart(3, '0')}`, 20));
  const history = new TestHistory([message('m1', 10), ...sameTime]);
  const line = timeline(history, 20);
  sameTime.forEach((m) => line.addMessage(m));

  const result = await line.loadOlder();

  assert.equal(result.added, 1);
  assert.equal(line.items()[0].messageId, 'm1');
  assert.deepEqual(history.requests.map((r) => [r.beforeTime, r.count]), [[21, 20], [21, 40], [21, 80], [21, 100], [20, 20]]);
});

test('concurrent load older calls share one request', async () => {
  const history = new TestHistory([message('m1', 10)]);
  const line = timeline(history);

  const [a, b] = await Promise.all([line.loadOlder(), line.loadOlder()]);

  assert.equal(history.requests.length, 1);
  assert.deepEqual(a, b);
});

test('failed load older can be retried', async () => {
  const history = new TestHistory([message('m1', 10)]);
  let fail = true;
  const line = new ConversationTimeline({
    conversation: CONVERSATION,
    userId: 'alice',
    loadHistory: (request) => (fail ? Promise.reject(new Error('UNAVAILABLE')) : history.load(request)),
  });

  await assert.rejects(line.loadOlder(), /UNAVAILABLE/);
  fail = false;
  await line.loadOlder();

  assert.equal(line.loadingOlder, false);
  assert.deepEqual(idsOf(line), ['m1']);
});

test('pending send comes last and moves to its server time on ack', () => {
  const line = timeline(new TestHistory([]));
  line.addMessage(message('m1', 10));
  line.addPending({ clientMessageId: 'mine', contentType: 'text', content: '' });
  line.addMessage(message('m2', 30));

  assert.deepEqual(idsOf(line), ['m1', 'm2', 'pending:mine']);
  assert.equal(line.findOwn('mine').state, 'sending');

  line.markSent({ clientMessageId: 'mine', messageId: 'm-mine', serverTime: 20 });

  assert.deepEqual(idsOf(line), ['m1', 'm-mine', 'm2']);
  assert.equal(line.findOwn('mine').state, 'sent');
});

test('own message from the inbox before its ack merges with the pending send', () => {
  const line = timeline(new TestHistory([]));
  line.addPending({ clientMessageId: 'mine', contentType: 'text', content: '' });

  const merged = line.addMessage(message('m-mine', 20, 'alice', 'mine'));
  line.markSent({ clientMessageId: 'mine', messageId: 'm-mine', serverTime: 20 });

  assert.equal(line.items().length, 1);
  assert.equal(merged.state, 'sent');
  assert.equal(merged.own, true);
  assert.equal(line.addMessage(message('m-mine', 20, 'alice', 'mine')), null);
});

test('failed send can be retried and then acked', () => {
  const line = timeline(new TestHistory([]));
  line.addPending({ clientMessageId: 'mine', contentType: 'text', content: '' });

  line.markFailed('mine', { code: 'TIMEOUT' });
  assert.equal(line.findOwn('mine').state, 'failed');
  assert.equal(line.findOwn('mine').error, 'TIMEOUT');

  line.markRetrying('mine');
  assert.equal(line.findOwn('mine').state, 'sending');
  line.markSent({ clientMessageId: 'mine', messageId: 'm1', serverTime: 5 });

  assert.equal(line.findOwn('mine').state, 'sent');
  assert.equal(line.items().length, 1);
});

test('same client message id from another sender is another message', () => {
  const line = timeline(new TestHistory([]));
  line.addPending({ clientMessageId: 'c1', contentType: 'text', content: '' });

  line.addMessage(message('m-bob', 10, 'bob', 'c1'));

  assert.equal(line.items().length, 2);
  assert.equal(line.findOwn('c1').state, 'sending');
});

test('own flag follows the sender', () => {
  const line = timeline(new TestHistory([]));

  line.addMessage(message('m1', 10, 'alice'));
  line.addMessage(message('m2', 20, 'bob'));

  assert.deepEqual(line.items().map((item) => [item.own, item.state]), [[true, 'sent'], [false, 'received']]);
});

test('conversation key and client message id helpers', () => {
  assert.equal(conversationKey({ type: 'GROUP', targetId: 'g1' }), 'GROUP:g1');
  const a = newClientMessageId();
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(newClientMessageId(), a);
});
