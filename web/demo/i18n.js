// UI strings of the demo in English and Simplified Chinese. Every label the UI shows comes from
// these dictionaries. User ids, group names and the servers' error messages are shown as they are.

const en = {
  appTitle: 'Tidings demo',
  loginTitle: 'Log in',
  loginUserLabel: 'User name',
  loginUserPlaceholder: 'alice',
  loginHint: 'Any user name of letters, digits and _.@- works: the local suite issues a token for it.',
  loginButton: 'Log in',
  loginFailed: 'Log-in failed: {error}',
  logout: 'Log out',
  signedInAs: 'Signed in as {user}',
  'state.idle': 'Offline',
  'state.connecting': 'Connecting…',
  'state.connected': 'Connected',
  'state.reconnecting': 'Reconnecting…',
  'state.kicked': 'Signed out: logged in elsewhere',
  'state.token_expired': 'Session expired',
  'state.token_error': 'Session rejected',
  'state.closed': 'Disconnected',
  kickedBanner: 'This session ended because {user} logged in on another web device.',
  reconnect: 'Connect again',
  newChat: 'New chat',
  newChatPlaceholder: 'User name',
  startChat: 'Start',
  newGroup: 'New group',
  groupName: 'Group name',
  groupMembers: 'Members, separated by commas',
  createGroup: 'Create group',
  cancel: 'Cancel',
  groupFailed: 'Creating the group failed: {error}',
  noConversations: 'No conversations yet. Start a chat or create a group.',
  selectConversation: 'Select a conversation or start a new chat.',
  composerPlaceholder: 'Type a message',
  send: 'Send',
  'delivery.sending': 'Sending…',
  'delivery.sent': 'Sent',
  'delivery.failed': 'Not sent',
  retry: 'Retry',
  loadOlder: 'Load older messages',
  loadingOlder: 'Loading older messages…',
  historyStart: 'Beginning of the conversation',
  loadOlderFailed: 'Could not load older messages: {error}',
  you: 'You',
  groupLabel: 'Group',
  'system.group_created': '{operator} created the group “{name}”',
  'system.member_added': '{operator} added {users}',
  'system.member_removed': '{operator} removed {users}',
  'system.group_dismissed': '{operator} dismissed the group',
  'system.other': 'System message',
  otherContent: '[{type} message]',
  listSeparator: ', ',
};

/** @type {typeof en} */
const zhCN = {
  appTitle: 'Tidings 演示',
  loginTitle: '登录',
  loginUserLabel: '用户名',
  loginUserPlaceholder: 'alice',
  loginHint: '可使用任意由字母、数字和 _.@- 组成的用户名：本地环境会为其签发令牌。',
  loginButton: '登录',
  loginFailed: '登录失败：{error}',
  logout: '退出登录',
  signedInAs: '当前用户：{user}',
  'state.idle': '离线',
  'state.connecting': '正在连接…',
  'state.connected': '已连接',
  'state.reconnecting': '正在重新连接…',
  'state.kicked': '已下线：账号在别处登录',
  'state.token_expired': '会话已过期',
  'state.token_error': '会话被拒绝',
  'state.closed': '已断开',
  kickedBanner: '{user} 已在另一台网页设备上登录，本会话已结束。',
  reconnect: '重新连接',
  newChat: '发起聊天',
  newChatPlaceholder: '用户名',
  startChat: '开始',
  newGroup: '创建群聊',
  groupName: '群名称',
  groupMembers: '成员，用逗号分隔',
  createGroup: '创建',
  cancel: '取消',
  groupFailed: '创建群聊失败：{error}',
  noConversations: '还没有会话。发起聊天或创建群聊吧。',
  selectConversation: '请选择一个会话，或发起新的聊天。',
  composerPlaceholder: '输入消息',
  send: '发送',
  'delivery.sending': '发送中…',
  'delivery.sent': '已发送',
  'delivery.failed': '发送失败',
  retry: '重试',
  loadOlder: '加载更早的消息',
  loadingOlder: '正在加载更早的消息…',
  historyStart: '已到会话开头',
  loadOlderFailed: '无法加载更早的消息：{error}',
  you: '我',
  groupLabel: '群聊',
  'system.group_created': '{operator} 创建了群聊“{name}”',
  'system.member_added': '{operator} 将 {users} 加入了群聊',
  'system.member_removed': '{operator} 将 {users} 移出了群聊',
  'system.group_dismissed': '{operator} 解散了群聊',
  'system.other': '系统消息',
  otherContent: '[{type} 消息]',
  listSeparator: '、',
};

export const DICTIONARIES = Object.freeze({ en, 'zh-CN': zhCN });

/**
 * Returns the UI language for a list of preferred languages (navigator.languages): the first one
 * that is Chinese or English, and English when none is.
 * @param {readonly string[]} languages
 * @returns {'en' | 'zh-CN'}
 */
export function pickLocale(languages) {
  for (const language of languages ?? []) {
    const lower = String(language).toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) {
      return 'zh-CN';
    }
    if (lower === 'en' || lower.startsWith('en-')) {
      return 'en';
    }
  }
  return 'en';
}

/**
 * Returns a translate function for a locale: t(key, {name: value}) fills {name} placeholders.
 * A missing key returns the key itself, so a gap shows up on screen instead of an empty label.
 */
export function translator(locale) {
  const dictionary = DICTIONARIES[locale] ?? en;
  return (key, values = {}) => {
    const template = dictionary[key] ?? en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
  };
}
