// The Tidings web demo: log in as any user, chat 1:1 and in groups over @tidings/client.
import {
  MessageSync, TidingsClient, WebStorageCursorStore, decodeJsonContent,
} from '../tidings-client/src/index.js';
import { DevApiError, createGroup, issueToken } from './dev-api.js';
import { h } from './dom.js';
import { pickLocale, translator } from './i18n.js';
import { ChatStore } from './store.js';

const USER_KEY = 'tidings.demo.userId';
const DEVICE_KEY = 'tidings.demo.deviceId';
/** Distance from the top of the message list, in pixels, at which older history loads. */
const LOAD_OLDER_THRESHOLD_PX = 60;
/** Distance from the bottom within which new messages keep the list scrolled to the end. */
const STICK_TO_BOTTOM_PX = 80;
/** An opened conversation with fewer messages loads a page of history at once. */
const MIN_MESSAGES_ON_OPEN = 20;

const locale = pickLocale(navigator.languages ?? [navigator.language]);
const t = translator(locale);
const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
const root = document.getElementById('app');

/**
 * The signed-in user's objects and the DOM nodes that change.
 * @type {{userId: string, client: TidingsClient, store: ChatStore, sync: MessageSync, refs: Record<string, HTMLElement>,
 *   renderedKeys: string[], olderError: string | null} | null}
 */
let session = null;

document.documentElement.lang = locale;
document.title = t('appTitle');

/** Returns this browser profile's device id, created on first use. */
function deviceId() {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    id = `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

function describeError(error) {
  return error?.code ? `${error.code}: ${error.message}` : String(error?.message ?? error);
}

// ---------------------------------------------------------------------------------------------
// Log in and out.

function renderLogin(errorText = '') {
  const input = h('input', {
    id: 'login-user', 'data-testid': 'login-user', autocomplete: 'username', required: true,
    placeholder: t('loginUserPlaceholder'), maxlength: 64,
  });
  const form = h('form', {
    className: 'login-card',
    onSubmit: (event) => {
      event.preventDefault();
      const userId = input.value.trim();
      if (userId) {
        logIn(userId);
      }
    },
  },
  h('h1', {}, t('appTitle')),
  h('h2', {}, t('loginTitle')),
  h('label', { for: 'login-user' }, t('loginUserLabel')),
  input,
  h('p', { className: 'hint' }, t('loginHint')),
  errorText && h('p', { className: 'error', 'data-testid': 'login-error', role: 'alert' }, errorText),
  h('button', { type: 'submit', 'data-testid': 'login-submit' }, t('loginButton')));
  root.replaceChildren(h('main', { className: 'login' }, form));
  input.focus();
}

async function logIn(userId) {
  let issued;
  try {
    issued = await issueToken(userId);
  } catch (error) {
    renderLogin(t('loginFailed', { error: describeError(error) }));
    return;
  }
  localStorage.setItem(USER_KEY, userId);
  startSession(userId, issued.token);
}

function startSession(userId, token) {
  const device = deviceId();
  const wsScheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const client = new TidingsClient({ url: `${wsScheme}://${location.host}/ws`, token, deviceId: device });
  const store = new ChatStore({ userId, deviceId: device, client });
  const sync = MessageSync.attach(client, {
    cursorStore: new WebStorageCursorStore(userId, device),
    onMessage: (entry) => store.handleEntry(entry),
    onSyncFailed: (error) => console.warn('Inbox sync failed; MessageSync retries it while connected and pulls on every connect', error),
  });
  session = { userId, client, store, sync, refs: {}, renderedKeys: [], olderError: null };

  client.on('state', (change) => onStateChange(change));
  store.on('conversations', () => renderConversationList());
  store.on('messages', ({ key }) => {
    if (key === store.activeKey) {
      renderMessages();
    }
  });
  renderShell();
  client.connect().catch((error) => console.warn('Connect ended', error));
}

async function logOut() {
  const current = session;
  localStorage.removeItem(USER_KEY);
  session = null;
  current.sync.detach();
  try {
    await current.client.logout();
  } catch (error) {
    console.warn('Logout request failed; the session is closed locally', error);
  }
  renderLogin();
}

/** Gets a new token and connects again, after a kick, a token error or a closed connection. */
async function reconnectWithNewToken() {
  const current = session;
  try {
    const issued = await issueToken(current.userId);
    current.client.updateToken(issued.token);
    await current.client.connect();
  } catch (error) {
    console.warn('Connecting again failed', error);
  }
}

function onStateChange({ state, detail }) {
  renderConnectionState(state, detail);
  if (state === 'token_expired') {
    reconnectWithNewToken();
  }
  if (state === 'connected' && session.olderError) {
    // A history page that failed with the connection is requested again.
    loadOlder();
  }
}

// ---------------------------------------------------------------------------------------------
// The main screen.

function renderShell() {
  const { refs } = session;
  refs.state = h('span', { className: 'connection', 'data-testid': 'connection-state', role: 'status' });
  refs.banner = h('div', { className: 'banner', 'data-testid': 'session-banner', hidden: true });
  refs.list = h('ul', { className: 'conversation-list', 'data-testid': 'conversation-list' });
  refs.groupForm = renderGroupForm();
  refs.pane = h('section', { className: 'pane', 'data-testid': 'conversation-pane' });

  const header = h('header', { className: 'top' },
    h('strong', { className: 'brand' }, t('appTitle')),
    refs.state,
    h('span', { className: 'spacer' }),
    h('span', { className: 'me', 'data-testid': 'signed-in-user' }, t('signedInAs', { user: session.userId })),
    h('button', { type: 'button', className: 'link', 'data-testid': 'logout', onClick: logOut }, t('logout')));

  const sidebar = h('aside', { className: 'sidebar' },
    renderNewChatForm(),
    h('button', {
      type: 'button', className: 'secondary', 'data-testid': 'new-group-open',
      onClick: () => {
        refs.groupForm.hidden = !refs.groupForm.hidden;
      },
    }, t('newGroup')),
    refs.groupForm,
    refs.list);

  root.replaceChildren(header, refs.banner, h('main', { className: 'chat' }, sidebar, refs.pane));
  renderConnectionState(session.client.state, '');
  renderConversationList();
  renderPane();
}

function renderNewChatForm() {
  const input = h('input', { 'data-testid': 'new-chat-user', placeholder: t('newChatPlaceholder'), maxlength: 64 });
  return h('form', {
    className: 'new-chat',
    onSubmit: (event) => {
      event.preventDefault();
      const peer = input.value.trim();
      if (!peer) {
        return;
      }
      input.value = '';
      const record = session.store.ensure({ type: 'PRIVATE', targetId: peer });
      openConversation(record.key);
    },
  },
  h('label', { className: 'section-title' }, t('newChat')),
  h('div', { className: 'row' }, input, h('button', { type: 'submit', 'data-testid': 'new-chat-submit' }, t('startChat'))));
}

function renderGroupForm() {
  const name = h('input', { 'data-testid': 'group-name', placeholder: t('groupName'), required: true, maxlength: 128 });
  const members = h('input', { 'data-testid': 'group-members', placeholder: t('groupMembers'), required: true });
  const error = h('p', { className: 'error', 'data-testid': 'group-error', role: 'alert', hidden: true });
  const form = h('form', {
    className: 'group-form',
    hidden: true,
    onSubmit: async (event) => {
      event.preventDefault();
      const memberIds = members.value.split(/[\s,，、;；]+/).map((id) => id.trim()).filter(Boolean);
      const groupName = name.value.trim();
      if (!groupName || memberIds.length === 0) {
        return;
      }
      const bytes = crypto.getRandomValues(new Uint8Array(6));
      const groupId = `g-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
      try {
        const group = await createGroup({ groupId, name: groupName, owner: session.userId, members: memberIds });
        error.hidden = true;
        form.hidden = true;
        name.value = '';
        members.value = '';
        const record = session.store.ensure({ type: 'GROUP', targetId: group.groupId }, group.name);
        openConversation(record.key);
      } catch (failure) {
        error.textContent = t('groupFailed', { error: describeError(failure) });
        error.hidden = false;
        if (!(failure instanceof DevApiError)) {
          console.error('Creating a group failed', failure);
        }
      }
    },
  },
  name, members, error,
  h('div', { className: 'row' },
    h('button', { type: 'submit', 'data-testid': 'group-submit' }, t('createGroup')),
    h('button', { type: 'button', className: 'link', onClick: () => { form.hidden = true; } }, t('cancel'))));
  return form;
}

function renderConnectionState(state, detail) {
  const { refs } = session;
  refs.state.dataset.state = state;
  refs.state.title = detail ?? '';
  refs.state.replaceChildren(h('span', { className: 'dot' }), t(`state.${state}`));

  const ended = state === 'kicked' || state === 'token_error' || state === 'closed';
  refs.banner.hidden = !ended;
  if (ended) {
    refs.banner.replaceChildren(
      h('span', {}, state === 'kicked' ? t('kickedBanner', { user: session.userId }) : t(`state.${state}`)),
      h('button', { type: 'button', 'data-testid': 'reconnect', onClick: reconnectWithNewToken }, t('reconnect')));
  }
}

function renderConversationList() {
  if (!session) {
    return;
  }
  const { store, refs } = session;
  const records = store.list();
  if (records.length === 0) {
    refs.list.replaceChildren(h('li', { className: 'empty' }, t('noConversations')));
    return;
  }
  refs.list.replaceChildren(...records.map((record) => h('li', {
    className: record.key === store.activeKey ? 'conversation active' : 'conversation',
    'data-testid': 'conversation',
    dataset: { key: record.key, type: record.conversation.type, target: record.conversation.targetId },
    onClick: () => openConversation(record.key),
  },
  h('div', { className: 'title-row' },
    h('span', { className: 'title', 'data-testid': 'conversation-title' }, record.title),
    record.conversation.type === 'GROUP' && h('span', { className: 'tag' }, t('groupLabel')),
    record.unread > 0 && h('span', { className: 'badge', 'data-testid': 'unread-count' }, String(record.unread))),
  h('div', { className: 'preview' }, record.last ? previewText(record) : ''))));
}

function previewText(record) {
  const { last } = record;
  const text = contentText(last.contentType, last.content);
  if (last.contentType === 'system' || record.conversation.type !== 'GROUP') {
    return text;
  }
  const sender = last.senderId === session.userId ? t('you') : last.senderId;
  return `${sender}: ${text}`;
}

/** Returns the text shown for a message's content. */
function contentText(contentType, content) {
  if (contentType === 'text') {
    const value = decodeJsonContent(content);
    return typeof value?.text === 'string' ? value.text : t('otherContent', { type: contentType });
  }
  if (contentType === 'system') {
    return systemText(decodeJsonContent(content));
  }
  return t('otherContent', { type: contentType });
}

function systemText(event) {
  const name = (id) => (id === session.userId ? t('you') : id);
  const values = {
    operator: name(event?.operator ?? ''),
    name: event?.name ?? '',
    users: (event?.users ?? []).map(name).join(t('listSeparator')),
  };
  const key = `system.${event?.event}`;
  const text = t(key, values);
  return text === key ? t('system.other') : text;
}

// ---------------------------------------------------------------------------------------------
// The open conversation.

function openConversation(key) {
  const { store } = session;
  store.open(key);
  session.renderedKeys = [];
  session.olderError = null;
  renderConversationList();
  renderPane();
  const record = store.get(key);
  if (record.timeline.items().length < MIN_MESSAGES_ON_OPEN) {
    loadOlder();
  }
}

function renderPane() {
  const { store, refs } = session;
  const record = store.activeKey ? store.get(store.activeKey) : null;
  if (!record) {
    refs.pane.replaceChildren(h('p', { className: 'placeholder' }, t('selectConversation')));
    return;
  }
  refs.messages = h('div', {
    className: 'messages', 'data-testid': 'message-list',
    onScroll: () => {
      if (refs.messages.scrollTop < LOAD_OLDER_THRESHOLD_PX) {
        loadOlder();
      }
    },
  });
  const input = h('textarea', {
    'data-testid': 'composer-input', rows: 2, placeholder: t('composerPlaceholder'), maxlength: 4000,
    onKeydown: (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    },
  });
  const submit = () => {
    const text = input.value.trim();
    if (!text) {
      return;
    }
    input.value = '';
    store.sendText(record.key, text);
  };
  refs.pane.replaceChildren(
    h('header', { className: 'pane-title' },
      h('span', { 'data-testid': 'pane-title' }, record.title),
      record.conversation.type === 'GROUP' && h('span', { className: 'tag' }, t('groupLabel'))),
    refs.messages,
    h('form', {
      className: 'composer',
      onSubmit: (event) => {
        event.preventDefault();
        submit();
      },
    }, input, h('button', { type: 'submit', 'data-testid': 'composer-send' }, t('send'))));
  renderMessages();
  input.focus();
}

/** Loads older history of the open conversation, then again while the list cannot scroll yet. */
async function loadOlder() {
  const { store } = session;
  const key = store.activeKey;
  const record = store.get(key);
  if (!record || !record.timeline.hasOlder || record.timeline.loadingOlder) {
    return;
  }
  try {
    session.olderError = null;
    const { hasOlder } = await store.loadOlder(key);
    const list = session?.refs.messages;
    if (hasOlder && store.activeKey === key && list && list.scrollHeight <= list.clientHeight) {
      await loadOlder();
    }
  } catch (error) {
    if (session && store.activeKey === key) {
      session.olderError = describeError(error);
      renderMessages();
    }
  }
}

function renderMessages() {
  const { store, refs } = session;
  const record = store.get(store.activeKey);
  const list = refs.messages;
  if (!record || !list) {
    return;
  }
  const items = record.timeline.items();
  const keys = items.map(itemKey);
  const previous = session.renderedKeys;
  const prepended = previous.length > 0 && keys.length > previous.length
    && keys[keys.length - 1] === previous[previous.length - 1] && keys[0] !== previous[0];
  const distanceFromBottom = list.scrollHeight - list.scrollTop;
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < STICK_TO_BOTTOM_PX;

  list.replaceChildren(renderHistoryEdge(record), ...items.map((item) => renderMessage(record, item)));
  session.renderedKeys = keys;

  if (prepended) {
    // Older messages went in above: keep the ones the user was reading in place.
    list.scrollTop = list.scrollHeight - distanceFromBottom;
  } else if (previous.length === 0 || nearBottom) {
    list.scrollTop = list.scrollHeight;
  }
}

function itemKey(item) {
  return item.own ? `own:${item.clientMessageId}` : `id:${item.messageId}`;
}

function renderHistoryEdge(record) {
  const { timeline } = record;
  if (timeline.loadingOlder) {
    return h('div', { className: 'history-edge', 'data-testid': 'loading-older' }, t('loadingOlder'));
  }
  if (session.olderError) {
    return h('div', { className: 'history-edge error' },
      t('loadOlderFailed', { error: session.olderError }),
      h('button', { type: 'button', className: 'link', 'data-testid': 'load-older', onClick: loadOlder }, t('retry')));
  }
  if (timeline.hasOlder) {
    return h('div', { className: 'history-edge' },
      h('button', { type: 'button', className: 'link', 'data-testid': 'load-older', onClick: loadOlder }, t('loadOlder')));
  }
  return h('div', { className: 'history-edge', 'data-testid': 'history-start' }, t('historyStart'));
}

function renderMessage(record, item) {
  const dataset = { messageId: item.messageId ?? '', clientMessageId: item.clientMessageId, state: item.state, sender: item.senderId };
  if (item.contentType === 'system') {
    return h('div', { className: 'system-message', 'data-testid': 'system-message', dataset },
      contentText(item.contentType, item.content));
  }
  const isGroup = record.conversation.type === 'GROUP';
  const time = item.serverTime ? timeFormat.format(new Date(item.serverTime)) : '';
  return h('div', { className: item.own ? 'message own' : 'message', 'data-testid': 'message', dataset },
    isGroup && !item.own && h('div', { className: 'sender', 'data-testid': 'message-sender' }, item.senderId),
    h('div', { className: 'bubble' },
      h('span', { className: 'text', 'data-testid': 'message-text' }, contentText(item.contentType, item.content))),
    h('div', { className: 'meta' },
      time && h('time', {}, time),
      item.own && h('span', { className: `delivery ${item.state}`, 'data-testid': 'delivery-state' }, t(`delivery.${item.state}`)),
      item.state === 'failed' && h('button', {
        type: 'button', className: 'link', 'data-testid': 'retry', title: item.error ?? '',
        onClick: () => session.store.retry(record.key, item.clientMessageId),
      }, t('retry'))));
}

// ---------------------------------------------------------------------------------------------
// Start.

document.addEventListener('visibilitychange', () => {
  session?.store.setVisible(document.visibilityState === 'visible');
});
window.addEventListener('online', () => session?.client.reconnectNow());

const storedUser = localStorage.getItem(USER_KEY);
if (storedUser) {
  logIn(storedUser);
} else {
  renderLogin();
}

// Exposed for debugging in the browser console only.
window.tidingsDemo = { get session() { return session; } };
