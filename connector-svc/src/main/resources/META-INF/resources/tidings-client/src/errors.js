/**
 * A failed request or connection. `code` is an ErrorCode name from
 * protocol/src/main/proto/tidings/v1/errors.proto, for example "TIMEOUT", "NOT_CONNECTED" or
 * "NOT_GROUP_MEMBER".
 */
export class TidingsError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'TidingsError';
    this.code = code;
  }
}
