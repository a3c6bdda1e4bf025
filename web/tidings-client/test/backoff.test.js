import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReconnectBackoff } from '../src/backoff.js';

test('backoff follows the steps then repeats the last', () => {
  const backoff = new ReconnectBackoff({ jitter: 0 });

  const delays = Array.from({ length: 9 }, (_, attempt) => backoff.delay(attempt));

  assert.deepEqual(delays, [100, 1000, 3000, 6000, 10000, 18000, 18000, 18000, 18000]);
});

test('backoff jitter stays within the fraction', () => {
  const low = new ReconnectBackoff({ jitter: 0.2, random: () => 0 });
  const high = new ReconnectBackoff({ jitter: 0.2, random: () => 0.999999 });

  assert.equal(low.delay(5), 14400);
  assert.ok(high.delay(5) <= 21600, `high delay ${high.delay(5)}`);
  assert.ok(high.delay(5) > 21599, `high delay ${high.delay(5)}`);
});

test('backoff rejects bad settings', () => {
  assert.throws(() => new ReconnectBackoff({ stepsMs: [] }), /stepsMs is empty/);
  assert.throws(() => new ReconnectBackoff({ jitter: 1.5 }), /jitter 1.5 is out of range/);
});
