/**
 * Delays between reconnect attempts: 0.1 s, 1 s, 3 s, 6 s, 10 s, 18 s, then 18 s for every later
 * attempt, the same steps as the Java SDK. Each delay is spread by up to `jitter` in both
 * directions, so that the devices of a restarted connector do not all reconnect at once.
 */
export class ReconnectBackoff {
  /** Nominal delays in milliseconds; the last one repeats. */
  static DEFAULT_STEPS_MS = Object.freeze([100, 1000, 3000, 6000, 10000, 18000]);

  /**
   * @param {object} [options]
   * @param {readonly number[]} [options.stepsMs] delays of the first attempts in ms
   * @param {number} [options.jitter] maximum spread as a fraction of the delay, 0 to 1 (default 0.2)
   * @param {() => number} [options.random] uniform random source in [0, 1), for tests
   */
  constructor({ stepsMs = ReconnectBackoff.DEFAULT_STEPS_MS, jitter = 0.2, random = Math.random } = {}) {
    if (stepsMs.length === 0) {
      throw new RangeError('stepsMs is empty: give at least one delay');
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new RangeError(`jitter ${jitter} is out of range 0..1`);
    }
    this.stepsMs = [...stepsMs];
    this.jitter = jitter;
    this.random = random;
  }

  /** Returns the delay in ms before attempt `attempt` (counting from 0), without jitter. */
  nominalDelay(attempt) {
    const index = Math.min(Math.max(attempt, 0), this.stepsMs.length - 1);
    return this.stepsMs[index];
  }

  /** Returns the delay in ms before attempt `attempt` with jitter applied. */
  delay(attempt) {
    const factor = 1 + this.jitter * (2 * this.random() - 1);
    return Math.round(this.nominalDelay(attempt) * factor);
  }
}
