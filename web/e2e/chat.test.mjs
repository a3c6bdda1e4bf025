// Browser test of the web demo in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core) against a running local suite at TIDINGS_WEB_URL. Each test uses new user
// names, so runs never see each other's messages. Screenshots go to web/e2e/out/.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = process.env.TIDINGS_WEB_URL ?? 'http://127.0.0.1:7100/';
const CHROMIUM = process.env.TIDINGS_CHROMIUM ?? '/usr/bin/chromium';
const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
/** Generous bound for anything that crosses the suite (Kafka, fan-out, HBase) on a shared machine. */
const WAIT_MS = 30_000;
const TEST_TIMEOUT_MS = 240_000;
const OFFLINE_MESSAGES = 30;

let browser;

before(async () => {
  mkdirSync(OUT_DIR, { recursive: true });
  await assertSuiteReachable();
  // Playwright gives each launch a fresh temporary profile; it rejects --user-data-dir here.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

async function assertSuiteReachable() {
  const url = new URL('demo/', BASE_URL);
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    assert.fail(`the demo at ${url} is unreachable (${error.cause?.code ?? error.message}): start the suite with ./tidings up or set TIDINGS_WEB_URL`);
  }
  assert.equal(response.status, 200,
    `GET ${url} returned HTTP ${response.status}: is tidings.connector.dev.enabled true (profile local)?`);
}

function uniqueUser(name) {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

/** Opens a browser context with its own storage, like a separate browser profile. */
async function newDevice(locale = 'en-US') {
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 720 } });
  return context;
}

/** Opens the demo in a new page and reports the page's script errors as test failures. */
async function openDemo(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  await page.goto(BASE_URL);
  return page;
}

async function logIn(page, userId) {
  await page.getByTestId('login-user').fill(userId);
  await page.getByTestId('login-submit').click();
  await waitForConnected(page);
}

async function waitForConnected(page) {
  await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({ timeout: WAIT_MS });
}

function conversationItem(page, type, targetId) {
  return page.locator(`[data-testid="conversation"][data-key="${type}:${targetId}"]`);
}

async function startPrivateChat(page, peer) {
  await page.getByTestId('new-chat-user').fill(peer);
  await page.getByTestId('new-chat-submit').click();
  await page.getByTestId('pane-title').filter({ hasText: peer }).waitFor({ timeout: WAIT_MS });
}

async function sendText(page, text) {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
}

function messageWithText(page, text) {
  return page.getByTestId('message').filter({
    has: page.getByTestId('message-text').getByText(text, { exact: true }),
  });
}

async function waitForMessage(page, text) {
  await messageWithText(page, text).waitFor({ timeout: WAIT_MS });
}

/** Returns the texts of the messages on screen, top to bottom. */
function messageTexts(page) {
  return page.getByTestId('message-text').allTextContents();
}

/** Polls `read` until `accept` passes on its result or WAIT_MS runs out; returns the last result. */
async function eventually(read, accept, what) {
  const deadline = Date.now() + WAIT_MS;
  let value;
  for (;;) {
    value = await read();
    if (accept(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      assert.fail(`${what} did not happen within ${WAIT_MS} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function screenshot(page, name) {
  await page.screenshot({ path: `${OUT_DIR}${name}.png` });
}

function assertNoPageErrors(...pages) {
  for (const page of pages) {
    assert.deepEqual(page.errors, [], `script errors on ${page.url()}`);
  }
}

test('private chat delivers live, offline and older history', { timeout: TEST_TIMEOUT_MS }, async () => {
  const alice = uniqueUser('alice');
  const bob = uniqueUser('bob');
  const aliceDevice = await newDevice();
  const bobDevice = await newDevice();
  try {
    const alicePage = await openDemo(aliceDevice);
    let bobPage = await openDemo(bobDevice);
    await logIn(alicePage, alice);
    await logIn(bobPage, bob);

    // Live exchange.
    await startPrivateChat(alicePage, bob);
    await sendText(alicePage, 'hello bob');
    await conversationItem(bobPage, 'PRIVATE', alice).getByTestId('unread-count').filter({ hasText: '1' })
      .waitFor({ timeout: WAIT_MS });
    await conversationItem(bobPage, 'PRIVATE', alice).click();
    await waitForMessage(bobPage, 'hello bob');
    await sendText(bobPage, 'hi alice');
    await waitForMessage(alicePage, 'hi alice');
    await messageWithText(alicePage, 'hello bob').and(alicePage.locator('[data-state="sent"]'))
      .waitFor({ timeout: WAIT_MS });
    for (let i = 1; i <= 3; i++) {
      await sendText(alicePage, `early ${i}`);
    }
    await waitForMessage(bobPage, 'early 3');
    await screenshot(alicePage, 'private-live-alice');

    // Bob goes away; alice sends while he is offline.
    await bobPage.close();
    for (let i = 1; i <= OFFLINE_MESSAGES; i++) {
      await sendText(alicePage, `offline ${i}`);
    }
    await eventually(
      () => alicePage.locator('[data-testid="message"][data-state="sent"]').count(),
      (count) => count >= OFFLINE_MESSAGES + 4,
      `SendAck of all ${OFFLINE_MESSAGES} offline messages`);
    assert.equal(await alicePage.locator('[data-testid="message"][data-state="failed"]').count(), 0);

    // Bob comes back on the same device: the stored session logs him in and sync pulls the 30.
    bobPage = await openDemo(bobDevice);
    await waitForConnected(bobPage);
    const unread = conversationItem(bobPage, 'PRIVATE', alice).getByTestId('unread-count');
    await unread.filter({ hasText: String(OFFLINE_MESSAGES) }).waitFor({ timeout: WAIT_MS });
    await conversationItem(bobPage, 'PRIVATE', alice).click();
    await waitForMessage(bobPage, `offline ${OFFLINE_MESSAGES}`);
    const expectedOffline = Array.from({ length: OFFLINE_MESSAGES }, (_, i) => `offline ${i + 1}`);
    const afterReopen = await messageTexts(bobPage);
    assert.deepEqual(afterReopen.filter((text) => text.startsWith('offline ')), expectedOffline);
    assert.equal(await unread.count(), 0, 'opening the conversation clears its unread count');
    await screenshot(bobPage, 'private-after-reconnect-bob');

    // Scrolling to the top loads the messages from before the page closed, from history.
    assert.ok(!afterReopen.includes('hello bob'), 'the first message comes from history, not from the inbox pull');
    await eventually(async () => {
      await bobPage.getByTestId('message-list').evaluate((list) => {
        list.scrollTop = 0;
        list.dispatchEvent(new Event('scroll'));
      });
      return messageTexts(bobPage);
    }, (texts) => texts.includes('hello bob'), 'loading older history on scroll up');
    const all = await messageTexts(bobPage);
    assert.deepEqual(all, ['hello bob', 'hi alice', 'early 1', 'early 2', 'early 3', ...expectedOffline]);
    await bobPage.getByTestId('history-start').waitFor({ timeout: WAIT_MS });
    await screenshot(bobPage, 'private-history-bob');
    assertNoPageErrors(alicePage, bobPage);
  } finally {
    await aliceDevice.close();
    await bobDevice.close();
  }
});

test('group of three created from the UI', { timeout: TEST_TIMEOUT_MS }, async () => {
  const alice = uniqueUser('alice');
  const bob = uniqueUser('bob');
  const carol = uniqueUser('carol');
  const groupName = `Team ${randomBytes(2).toString('hex')}`;
  const devices = [await newDevice(), await newDevice(), await newDevice()];
  try {
    const [alicePage, bobPage, carolPage] = await Promise.all(devices.map(openDemo));
    await logIn(alicePage, alice);
    await logIn(bobPage, bob);
    await logIn(carolPage, carol);

    await alicePage.getByTestId('new-group-open').click();
    await alicePage.getByTestId('group-name').fill(groupName);
    await alicePage.getByTestId('group-members').fill(`${bob}, ${carol}`);
    await alicePage.getByTestId('group-submit').click();
    await alicePage.getByTestId('pane-title').filter({ hasText: groupName }).waitFor({ timeout: WAIT_MS });
    await alicePage.getByTestId('system-message').first().waitFor({ timeout: WAIT_MS });

    for (const page of [bobPage, carolPage]) {
      const item = page.getByTestId('conversation').filter({ has: page.getByTestId('conversation-title').getByText(groupName) });
      await item.waitFor({ timeout: WAIT_MS });
      assert.equal(await item.getAttribute('data-type'), 'GROUP');
      await item.click();
      await page.getByTestId('system-message').first().waitFor({ timeout: WAIT_MS });
    }

    await sendText(alicePage, 'group hello');
    await waitForMessage(bobPage, 'group hello');
    await waitForMessage(carolPage, 'group hello');
    assert.equal(await messageWithText(carolPage, 'group hello').getByTestId('message-sender').textContent(), alice);

    await sendText(carolPage, 'carol here');
    await waitForMessage(alicePage, 'carol here');
    await waitForMessage(bobPage, 'carol here');
    await sendText(bobPage, 'bob too');
    await waitForMessage(alicePage, 'bob too');
    await waitForMessage(carolPage, 'bob too');

    for (const page of [alicePage, bobPage, carolPage]) {
      const texts = await messageTexts(page);
      assert.deepEqual(texts, ['group hello', 'carol here', 'bob too'], `messages on ${page.url()}`);
      await page.getByTestId('history-start').waitFor({ timeout: WAIT_MS });
    }
    await screenshot(carolPage, 'group-carol');
    assertNoPageErrors(alicePage, bobPage, carolPage);
  } finally {
    await Promise.all(devices.map((device) => device.close()));
  }
});

test('second web login kicks the first session', { timeout: TEST_TIMEOUT_MS }, async () => {
  const dave = uniqueUser('dave');
  const first = await newDevice();
  const second = await newDevice();
  try {
    const firstPage = await openDemo(first);
    await logIn(firstPage, dave);
    const secondPage = await openDemo(second);
    await logIn(secondPage, dave);

    await firstPage.locator('[data-testid="connection-state"][data-state="kicked"]').waitFor({ timeout: WAIT_MS });
    await firstPage.getByTestId('session-banner').getByTestId('reconnect').waitFor({ timeout: WAIT_MS });
    assert.equal(await secondPage.getByTestId('connection-state').getAttribute('data-state'), 'connected');
    await screenshot(firstPage, 'kicked');
    assertNoPageErrors(firstPage, secondPage);
  } finally {
    await first.close();
    await second.close();
  }
});

/**
 * Routes a context's WebSockets to the suite through Playwright, so a test can cut the network:
 * cut() closes the open sockets and rejects new ones until restore(). Browser offline emulation
 * does not close open WebSockets, so it cannot stand in for a lost connection.
 */
async function cuttableNetwork(context) {
  const open = new Set();
  let cut = false;
  await context.routeWebSocket(/\/ws$/, (socket) => {
    if (cut) {
      socket.close({ code: 1006, reason: 'network cut by the test' });
      return;
    }
    socket.connectToServer();
    open.add(socket);
    socket.onClose(() => open.delete(socket));
  });
  return {
    async cut() {
      cut = true;
      await Promise.all([...open].map((socket) => socket.close({ code: 1006, reason: 'network cut by the test' })));
    },
    restore() {
      cut = false;
    },
  };
}

test('lost connection shows reconnecting and send retry', { timeout: TEST_TIMEOUT_MS }, async () => {
  const erin = uniqueUser('erin');
  const frank = uniqueUser('frank');
  const erinDevice = await newDevice();
  const frankDevice = await newDevice();
  try {
    const network = await cuttableNetwork(erinDevice);
    const erinPage = await openDemo(erinDevice);
    const frankPage = await openDemo(frankDevice);
    await logIn(erinPage, erin);
    await logIn(frankPage, frank);
    await startPrivateChat(erinPage, frank);

    await network.cut();
    await erinPage.locator('[data-testid="connection-state"][data-state="reconnecting"]').waitFor({ timeout: WAIT_MS });
    await sendText(erinPage, 'during outage');
    await messageWithText(erinPage, 'during outage').and(erinPage.locator('[data-state="sending"]'))
      .waitFor({ timeout: WAIT_MS });
    await screenshot(erinPage, 'reconnecting');
    // The demo waits 10 s for the connection before it shows the send as failed.
    const failed = messageWithText(erinPage, 'during outage').and(erinPage.locator('[data-state="failed"]'));
    await failed.waitFor({ timeout: WAIT_MS });
    await screenshot(erinPage, 'send-failed');

    network.restore();
    await waitForConnected(erinPage);
    await failed.getByTestId('retry').click();
    await messageWithText(erinPage, 'during outage').and(erinPage.locator('[data-state="sent"]'))
      .waitFor({ timeout: WAIT_MS });
    await sendText(erinPage, 'after outage');

    await conversationItem(frankPage, 'PRIVATE', erin).click();
    await waitForMessage(frankPage, 'after outage');
    assert.deepEqual(await messageTexts(frankPage), ['during outage', 'after outage']);
    assertNoPageErrors(erinPage, frankPage);
  } finally {
    await erinDevice.close();
    await frankDevice.close();
  }
});

for (const [locale, expected] of [
  ['zh-CN', { login: '登录', connected: '已连接', newChat: '发起聊天' }],
  ['en-US', { login: 'Log in', connected: 'Connected', newChat: 'New chat' }],
]) {
  test(`UI language follows locale ${locale}`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const user = uniqueUser('lang');
    const device = await newDevice(locale);
    try {
      const page = await openDemo(device);

      assert.equal((await page.getByTestId('login-submit').textContent()).trim(), expected.login);
      assert.equal(await page.locator('html').getAttribute('lang'), locale === 'zh-CN' ? 'zh-CN' : 'en');
      await logIn(page, user);
      assert.equal((await page.getByTestId('connection-state').textContent()).trim(), expected.connected);
      assert.equal((await page.getByTestId('new-chat-submit').textContent()).trim(), locale === 'zh-CN' ? '开始' : 'Start');
      assert.ok((await page.locator('.new-chat .section-title').textContent()).includes(expected.newChat));

      await startPrivateChat(page, uniqueUser('peer'));
      await sendText(page, locale === 'zh-CN' ? '你好' : 'hello');
      await page.locator('[data-testid="message"][data-state="sent"]').waitFor({ timeout: WAIT_MS });
      const delivery = (await page.getByTestId('delivery-state').textContent()).trim();
      assert.equal(delivery, locale === 'zh-CN' ? '已发送' : 'Sent');
      await screenshot(page, `locale-${locale}`);
      assertNoPageErrors(page);
    } finally {
      await device.close();
    }
  });
}
