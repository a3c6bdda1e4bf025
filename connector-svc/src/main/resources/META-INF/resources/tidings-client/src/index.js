// @tidings/client: the Tidings client protocol for browsers and Node, over the JSON WebSocket
// subprotocol "tidings.v1.json".
export { ReconnectBackoff } from './backoff.js';
export { ConnectionState, PROTOCOL_VERSION, SDK_VERSION, TidingsClient, isTerminalState } from './client.js';
export { MemoryCursorStore, WebStorageCursorStore } from './cursor-store.js';
export { Emitter } from './emitter.js';
export { TidingsError } from './errors.js';
export {
  FRAME_OPS, SUBPROTOCOL_JSON, base64ToBytes, bytesToBase64, decodeFrame, decodeJsonContent, encodeFrame,
  encodeJsonContent,
} from './frame.js';
export { MessageSync } from './sync.js';
export { ConversationTimeline, conversationKey, newClientMessageId } from './timeline.js';
