import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  base64ToBytes, bytesToBase64, decodeFrame, decodeJsonContent, encodeFrame, encodeJsonContent,
} from '../src/frame.js';

test('encodeFrame writes request id and int64 fields as strings', () => {
  const text = encodeFrame(7, 'sync', { cursor: 1700000000123, limit: 200 });

  assert.deepEqual(JSON.parse(text), { requestId: '7', sync: { cursor: '1700000000123', limit: 200 } });
});

test('encodeFrame omits request id 0', () => {
  const text = encodeFrame(0, 'ping');

  assert.deepEqual(JSON.parse(text), { ping: {} });
});

test('encodeFrame converts int64 fields in nested messages', () => {
  const text = encodeFrame(3, 'history', {
    conversation: { type: 'GROUP', targetId: 'g1' },
    beforeTime: 1700000000999,
    count: 20,
  });

  assert.deepEqual(JSON.parse(text).history, {
    conversation: { type: 'GROUP', targetId: 'g1' },
    beforeTime: '1700000000999',
    count: 20,
  });
});

test('encodeFrame rejects an unknown op', () => {
  assert.throws(() => encodeFrame(1, 'sendMessage', {}), /unknown frame op "sendMessage"/);
});

test('decodeFrame reads a Deliver as the server prints it', () => {
  // The form protobuf-java's JsonFormat printer produces for a Deliver frame.
  const text = '{"deliver":{"entry":{"message":{"messageId":"01HX","clientMessageId":"c1",'
    + '"conversation":{"type":"PRIVATE","targetId":"bob"},"senderId":"alice","senderDeviceId":"d1",'
    + '"contentType":"text","content":"eyJ0ZXh0IjoiaGkifQ==","flags":{"persisted":true,"counted":true},'
    + '"serverTime":"1700000000001"},"conversation":{"type":"PRIVATE","targetId":"alice"},'
    + '"syncTime":"1700000000002"},"prevSyncTime":"1700000000000"}}';

  const frame = decodeFrame(text);

  assert.equal(frame.requestId, 0);
  assert.equal(frame.op, 'deliver');
  assert.equal(frame.body.prevSyncTime, 1700000000000);
  assert.equal(frame.body.entry.syncTime, 1700000000002);
  assert.equal(frame.body.entry.message.serverTime, 1700000000001);
  assert.equal(frame.body.entry.conversation.type, 'PRIVATE');
  assert.deepEqual(decodeJsonContent(frame.body.entry.message.content), { text: 'hi' });
});

test('decodeFrame reads a reply with request id and repeated entries', () => {
  const text = '{"requestId":"42","syncReply":{"entries":[{"syncTime":"5"},{"syncTime":"6"}],'
    + '"nextCursor":"6","hasMore":true}}';

  const frame = decodeFrame(text);

  assert.equal(frame.requestId, 42);
  assert.equal(frame.op, 'syncReply');
  assert.deepEqual(frame.body, { entries: [{ syncTime: 5 }, { syncTime: 6 }], nextCursor: 6, hasMore: true });
});

test('decodeFrame gives an empty body for a frame with only defaults', () => {
  const frame = decodeFrame('{"requestId":"9","ok":{}}');

  assert.deepEqual(frame, { requestId: 9, op: 'ok', body: {} });
});

test('decodeFrame rejects text that is not a frame', () => {
  assert.throws(() => decodeFrame('not json'), SyntaxError);
  assert.throws(() => decodeFrame('[1,2]'), /not a JSON object/);
  assert.throws(() => decodeFrame('{"requestId":"1","bogus":{}}'), /names no known op/);
});

test('frame survives an encode and decode round trip', () => {
  const body = {
    clientMessageId: 'c-1',
    conversation: { type: 'GROUP', targetId: 'team' },
    contentType: 'text',
    content: encodeJsonContent({ text: '你好, world' }),
  };

  const frame = decodeFrame(encodeFrame(11, 'send', body));

  assert.equal(frame.requestId, 11);
  assert.equal(frame.op, 'send');
  assert.deepEqual(frame.body, body);
  assert.deepEqual(decodeJsonContent(frame.body.content), { text: '你好, world' });
});

test('base64 helpers round-trip all byte values', () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);

  const base64 = bytesToBase64(bytes);

  assert.equal(base64, Buffer.from(bytes).toString('base64'));
  assert.deepEqual(base64ToBytes(base64), bytes);
});

test('base64ToBytes accepts the URL-safe alphabet', () => {
  const bytes = Uint8Array.from([0xfb, 0xff, 0xfe]);

  assert.deepEqual(base64ToBytes(Buffer.from(bytes).toString('base64url')), bytes);
});

test('decodeJsonContent returns null for absent or non-JSON content', () => {
  assert.equal(decodeJsonContent(undefined), null);
  assert.equal(decodeJsonContent(bytesToBase64(new TextEncoder().encode('plain'))), null);
});
