/**
 * Keeps a device's inbox cursor in Web Storage (localStorage by default), one key per user and
 * device, so that a reloaded page pulls only what it has not seen.
 */
export class WebStorageCursorStore {
  #storage;
  #key;

  /**
   * @param {string} userId
   * @param {string} deviceId
   * @param {Storage} [storage] default globalThis.localStorage
   */
  constructor(userId, deviceId, storage = globalThis.localStorage) {
    if (!storage) {
      throw new TypeError('no Web Storage: pass a storage object outside browsers');
    }
    this.#storage = storage;
    this.#key = WebStorageCursorStore.key(userId, deviceId);
  }

  /** Returns the storage key of a user's cursor on a device. */
  static key(userId, deviceId) {
    return `tidings.cursor.${encodeURIComponent(userId)}.${encodeURIComponent(deviceId)}`;
  }

  /** Returns the stored cursor, or 0 (pull everything retained) when none or an unreadable one is stored. */
  load() {
    const stored = Number(this.#storage.getItem(this.#key));
    return Number.isSafeInteger(stored) && stored > 0 ? stored : 0;
  }

  save(cursor) {
    this.#storage.setItem(this.#key, String(cursor));
  }
}

/** Keeps a cursor in memory only, for tests and for clients without storage. */
export class MemoryCursorStore {
  constructor(cursor = 0) {
    this.cursor = cursor;
  }

  load() {
    return this.cursor;
  }

  save(cursor) {
    this.cursor = cursor;
  }
}
