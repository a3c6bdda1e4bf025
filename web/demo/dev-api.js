// Calls to the connector's dev endpoints, which the local profile enables. A real app gets its
// token and creates groups through its own backend and the server API instead.

/** A failed dev endpoint call; `code` is the ErrorCode name the endpoint returned. */
export class DevApiError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'DevApiError';
    this.code = code;
  }
}

async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new DevApiError('UNAVAILABLE', `POST ${path} failed: ${error.message}`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const code = json?.code ?? `HTTP_${response.status}`;
    const message = json?.message ?? `POST ${path} returned HTTP ${response.status}`;
    throw new DevApiError(code, message);
  }
  return json;
}

/**
 * Issues a token for a user.
 * @returns {Promise<{userId: string, token: string, expiresAt: number}>}
 */
export function issueToken(userId) {
  return post('/dev/token', { userId });
}

/**
 * Creates a group; the owner is always a member.
 * @returns {Promise<{groupId: string, name: string, owner: string, members: string[], version: number}>}
 */
export function createGroup({ groupId, name, owner, members }) {
  return post('/dev/groups', { groupId, name, owner, members });
}
