// Per-dossier rating in a real browser: a dossier completed at the one-stop
// counter is rated from the QR code of its result slip on a phone screen,
// with JavaScript on and off; the counter kiosk, a tablet without
// JavaScript, takes three ratings in a row as the officer hands the
// dossiers over, resetting itself between them.
import { test, expect, request as playwrightRequest } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { STAFF, signIn } from './helpers.mjs';

const BASE = process.env.HAILONG_URL ?? 'http://127.0.0.1:3311';
const ADMIN = { username: 'quantri-motcua', password: 'kiosk admin password' };
const PHONE = { viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true };
const RUN = Date.now().toString(36).toUpperCase();

test.describe.configure({ mode: 'serial' });

/** The hailong command on the browser tests' database. */
function hailong(args, input) {
  return execFileSync(process.env.HAILONG_BIN, args, { input, encoding: 'utf8' }).trim();
}

let api;

test.beforeAll(async () => {
  // The one-stop software's token, and an admin to set the kiosk up.
  const token = hailong(['create-token', '--name', `one-stop-${RUN}`, '--role', 'staff', '--scope', 'all']);
  hailong(
    ['create-user', '--username', ADMIN.username, '--role', 'admin', '--name', 'Quản trị Một cửa'],
    `${ADMIN.password}\n`,
  );
  api = await playwrightRequest.newContext({
    baseURL: BASE,
    extraHTTPHeaders: { Authorization: `Bearer ${token}` },
  });
});

/** `at` in Vietnam's time as the one-stop software writes it. */
function vietnam(at) {
  return new Date(at + 7 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Stores completed dossiers of LD-01 with these codes, as the one-stop software does. */
async function completeDossiers(codes) {
  const now = Date.now();
  const dossiers = codes.map((code) => ({
    code,
    procedure: 'LD-01',
    channel: 'counter',
    received_at: vietnam(now - 5 * 86_400_000),
    due_at: vietnam(now + 2 * 86_400_000),
    completed_at: vietnam(now - 3_600_000),
    result: 'granted',
    phone: '0905 246 802',
  }));
  const response = await api.post('/api/v1/dossiers', { data: { dossiers } });
  expect(response.status(), await response.text()).toBe(200);
}

/** Reads the QR code of a picture on the page, as a phone's camera would. */
async function readQr(page, url) {
  await page.goto(url);
  const shot = PNG.sync.read(await page.screenshot());
  const found = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
  expect(found, 'a QR code on the picture').not.toBeNull();
  return found.data;
}

for (const javaScriptEnabled of [true, false]) {
  test(`a dossier is rated from its QR on a phone, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async ({ browser }) => {
    const code = `HS-QR-${RUN}-${javaScriptEnabled ? 'JS' : 'HTML'}`;
    await completeDossiers([code]);
    const response = await api.get(`/api/v1/dossiers/${code}/rating-link`);
    expect(response.status()).toBe(200);
    const link = await response.json();

    const context = await browser.newContext({ baseURL: BASE, ...PHONE, javaScriptEnabled });
    const page = await context.newPage();
    const scanned = await readQr(page, link.qr_svg_url);
    expect(scanned).toBe(link.rating_url);

    await page.goto(scanned);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đánh giá việc giải quyết hồ sơ');
    await expect(page.locator('main')).toContainText('Cấp giấy phép lao động');
    // Nothing about the person or the dossier's code.
    await expect(page.locator('body')).not.toContainText('0905 246 802');
    await expect(page.locator('body')).not.toContainText(code);
    // Large touch targets for the three levels.
    for (const level of ['khong-hai-long', 'hai-long', 'rat-hai-long']) {
      const box = await page.locator(`label[for="level-${level}"]`).boundingBox();
      expect(box.height).toBeGreaterThanOrEqual(44);
    }
    await page.locator('label[for="level-rat-hai-long"]').tap();
    await page.locator('label[for="reason-guidance"]').tap();
    await page.locator('#trips').selectOption('1');
    await page.getByRole('button', { name: 'Gửi đánh giá' }).tap();
    await expect(page.getByTestId('rating-thanks')).toBeVisible();

    // The link rates once.
    await page.goto(scanned);
    await expect(page.getByTestId('rating-already')).toBeVisible();
    await expect(page.getByTestId('rating-form')).toHaveCount(0);
    await context.close();
  });
}

test('the counter kiosk takes three ratings in a row and resets itself', async ({ browser }) => {
  const codes = [1, 2, 3].map((n) => `HS-KIOSK-${RUN}-${n}`);
  await completeDossiers(codes);
  const kioskName = `Quầy ${RUN}`;

  // The admin adds the counter's kiosk and reads the address for its tablet.
  const adminContext = await browser.newContext({ baseURL: BASE });
  const admin = await adminContext.newPage();
  await signIn(admin, '/dossiers/kiosks', ADMIN);
  await expect(admin).toHaveURL(/\/dossiers\/kiosks/);
  await admin.locator('#name').fill(kioskName);
  await admin.getByRole('button', { name: 'Thêm máy' }).click();
  await expect(admin.getByRole('status').first()).toHaveText('Đã thêm máy đánh giá.');
  const address = await admin
    .getByRole('row', { name: new RegExp(kioskName) })
    .getByTestId('kiosk-address')
    .getAttribute('href');
  await adminContext.close();

  // The tablet: a cheap browser without JavaScript, left on the kiosk's address.
  const tabletContext = await browser.newContext({
    baseURL: BASE,
    viewport: { width: 800, height: 1280 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: false,
  });
  const tablet = await tabletContext.newPage();
  await tablet.goto(address);
  await expect(tablet.getByTestId('kiosk-waiting')).toBeVisible();

  // The officer at the counter hands each dossier over as its result is given.
  const officerContext = await browser.newContext({ baseURL: BASE });
  const officer = await officerContext.newPage();
  await signIn(officer, '/dossiers/kiosks', STAFF);
  await expect(officer).toHaveURL(/\/dossiers\/kiosks/);
  const levels = ['Rất hài lòng', 'Hài lòng', 'Không hài lòng'];
  for (const [i, code] of codes.entries()) {
    await officer.locator('#kiosk').selectOption({ label: kioskName });
    await officer.locator('#code').fill(code);
    await officer.getByRole('button', { name: 'Chuyển sang máy' }).click();
    await expect(officer.getByRole('status').first()).toHaveText('Đã chuyển hồ sơ sang máy đánh giá.');

    // The tablet's own refresh brings the question; one tap rates.
    await expect(tablet.getByTestId('kiosk-procedure')).toContainText('Cấp giấy phép lao động', { timeout: 20_000 });
    await expect(tablet.locator('body')).not.toContainText('0905 246 802');
    await expect(tablet.locator('body')).not.toContainText(code);
    await tablet.getByRole('button', { name: levels[i], exact: true }).tap();
    await expect(tablet.getByTestId('kiosk-thanks')).toBeVisible();
    // Then it waits again for the next person.
    await expect(tablet.getByTestId('kiosk-waiting')).toBeVisible({ timeout: 20_000 });
    await expect(tablet.getByTestId('kiosk-form')).toHaveCount(0);
  }
  await officerContext.close();
  await tabletContext.close();

  // Each dossier was rated once: its link now says so.
  for (const code of codes) {
    const link = await (await api.get(`/api/v1/dossiers/${code}/rating-link`)).json();
    const page = await browser.newPage({ baseURL: BASE, javaScriptEnabled: false });
    await page.goto(link.rating_url);
    await expect(page.getByTestId('rating-already')).toBeVisible();
    await page.close();
  }
});
