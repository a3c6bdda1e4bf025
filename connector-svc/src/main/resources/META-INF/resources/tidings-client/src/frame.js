// Frame encoding for the JSON subprotocol "tidings.v1.json": each text WebSocket message is the
// proto3 JSON form of tidings.v1.Frame (protocol/src/main/proto/tidings/v1/client.proto).
// proto3 JSON uses lowerCamelCase field names, writes 64-bit integers as strings, bytes as base64
// and enums by name, and omits fields that hold their default value.

/** WebSocket subprotocol of the JSON wire format. */
export const SUBPROTOCOL_JSON = 'tidings.v1.json';

/**
 * The names of the Frame oneof `op`, in proto3 JSON spelling. A frame object carries exactly one
 * of them as a key.
 */
export const FRAME_OPS = Object.freeze([
  'connect', 'connected', 'ping', 'pong', 'error', 'kicked', 'reconnect', 'logout', 'ok',
  'send', 'sendAck', 'deliver', 'notify', 'sync', 'syncReply', 'syncAck', 'history', 'historyReply',
  'markRead', 'registerPushToken', 'unregisterPushToken', 'setPushSettings',
]);

const OP_SET = new Set(FRAME_OPS);

/**
 * Fields of type int64 or uint64 anywhere in the client protocol. Each name has one meaning in
 * every message that uses it, so the codec converts by name: numbers on the JS side, strings on
 * the wire. Every value is a millisecond time, a cursor or a request counter, all far below
 * Number.MAX_SAFE_INTEGER (2^53 - 1).
 */
const INT64_FIELDS = new Set([
  'requestId', 'serverTime', 'heartbeatIntervalMs', 'afterMs', 'prevSyncTime', 'latestSyncTime',
  'cursor', 'nextCursor', 'syncTime', 'beforeTime',
]);

/**
 * A decoded frame: `requestId` (0 for frames the server sends on its own), `op` (the name of the
 * oneof member that is set) and `body` (that member's object).
 * @typedef {{requestId: number, op: string, body: any}} DecodedFrame
 */

/**
 * Encodes a frame as proto3 JSON text.
 * @param {number} requestId 0 for frames that expect no reply
 * @param {string} op one of FRAME_OPS
 * @param {object} [body] the operation's message, with JS numbers for 64-bit fields
 * @returns {string}
 */
export function encodeFrame(requestId, op, body = {}) {
  if (!OP_SET.has(op)) {
    throw new TypeError(`unknown frame op "${op}": use one of ${FRAME_OPS.join(', ')}`);
  }
  const frame = {};
  if (requestId) {
    frame.requestId = String(requestId);
  }
  frame[op] = convertInt64(body, toWire);
  return JSON.stringify(frame);
}

/**
 * Decodes a proto3 JSON frame.
 * @param {string} text
 * @returns {DecodedFrame}
 * @throws {SyntaxError} when the text is not JSON or names no known op
 */
export function decodeFrame(text) {
  const raw = JSON.parse(text);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SyntaxError(`frame is not a JSON object: ${String(text).slice(0, 80)}`);
  }
  const op = Object.keys(raw).find((key) => OP_SET.has(key));
  if (!op) {
    throw new SyntaxError(`frame names no known op: ${String(text).slice(0, 80)}`);
  }
  return {
    requestId: raw.requestId === undefined ? 0 : Number(raw.requestId),
    op,
    body: convertInt64(raw[op] ?? {}, fromWire),
  };
}

function toWire(value) {
  return typeof value === 'number' ? String(Math.trunc(value)) : value;
}

function fromWire(value) {
  return typeof value === 'string' ? Number(value) : value;
}

/** Copies a message tree, passing each 64-bit field through `convert`. */
function convertInt64(value, convert) {
  if (Array.isArray(value)) {
    return value.map((item) => convertInt64(item, convert));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const result = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) {
      continue;
    }
    result[key] = INT64_FIELDS.has(key) ? convert(field) : convertInt64(field, convert);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Message content. Built-in content types ("text", "image", "system") carry JSON in the bytes
// field, which proto3 JSON writes as base64.

/**
 * Encodes bytes as standard base64.
 * @param {Uint8Array} bytes
 */
export function bytesToBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Decodes standard or URL-safe base64, the two forms a proto3 JSON parser accepts.
 * @param {string} base64
 */
export function base64ToBytes(base64) {
  const binary = atob(base64.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/** Encodes a JSON value as the base64 content of a message. */
export function encodeJsonContent(value) {
  return bytesToBase64(new TextEncoder().encode(JSON.stringify(value)));
}

/**
 * Decodes the base64 content of a message as JSON.
 * @param {string | undefined} base64 absent content decodes as null
 * @returns {any} the parsed value, or null when the content is absent or not JSON
 */
export function decodeJsonContent(base64) {
  if (!base64) {
    return null;
  }
  try {
    return JSON.parse(new TextDecoder().decode(base64ToBytes(base64)));
  } catch {
    return null;
  }
}
