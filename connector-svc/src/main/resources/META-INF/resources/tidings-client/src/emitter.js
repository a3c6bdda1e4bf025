/** A minimal event emitter that works the same in browsers and Node. */
export class Emitter {
  #listeners = new Map();

  /**
   * Registers a listener and returns a function that removes it.
   * @param {string} event
   * @param {(payload: any) => void} listener
   * @returns {() => void}
   */
  on(event, listener) {
    if (!this.#listeners.has(event)) {
      this.#listeners.set(event, new Set());
    }
    this.#listeners.get(event).add(listener);
    return () => this.off(event, listener);
  }

  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
  }

  /**
   * Calls each listener of `event`. A listener that throws is reported on the console and does
   * not stop the others, so one faulty UI callback cannot break the connection logic.
   */
  emit(event, payload) {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`tidings: a "${event}" listener failed`, error);
      }
    }
  }
}
