// Personal data and the workflow's guard rails in a real browser: staff
// see only their departments' items and contacts, a leader sees a contact
// only after asking for it on purpose, sign-in never leaves the site
// whatever `next` says, staff cannot set an item aside or rate it.
import { test, expect } from '@playwright/test';
import { LEADER, STAFF, signIn } from './helpers.mjs';

const BASE = process.env.HAILONG_URL ?? 'http://127.0.0.1:3311';

test.describe.configure({ mode: 'serial' });

const OWN = { name: 'Phan Thị Kim Oanh', phone: '0935 246 810', department: 'QLDN' };
const OTHER = { name: 'Lê Văn Quốc Bảo', phone: '0978 135 790', department: 'QLDT' };
const codes = {};

/** Sends feedback through the public form, without JavaScript; its tracking code. */
async function send(browser, sender) {
  const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/feedback');
  await page.locator('#fb-content').fill(`Hồ sơ của ${sender.name} nộp tại Bộ phận Một cửa chưa được trả đúng hẹn.`);
  await page.locator('#fb-department').selectOption(sender.department);
  await page.locator('#fb-sender-name').fill(sender.name);
  await page.locator('#fb-sender-phone').fill(sender.phone);
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page).toHaveURL(/\/feedback\/track\?code=PA-/);
  const code = (await page.getByTestId('tracking-code').textContent()).trim();
  await context.close();
  return code;
}

test('staff see their department’s items and contacts, and no other', async ({ browser }) => {
  codes.own = await send(browser, OWN);
  codes.other = await send(browser, OTHER);
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await signIn(page, '/feedback/items', STAFF);
  await expect(page.locator(`tr[data-code="${codes.own}"]`)).toBeVisible();
  await expect(page.locator(`tr[data-code="${codes.other}"]`)).toHaveCount(0);
  // Searching by the other sender's phone finds nothing either.
  await page.goto(`/feedback/items?q=${encodeURIComponent(OTHER.phone)}`);
  await expect(page.locator(`tr[data-code="${codes.other}"]`)).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText(OTHER.name);
  // Their own item shows the sender's contact, for their work.
  await page.goto(`/feedback/items?q=${encodeURIComponent(codes.own)}`);
  await page.locator(`tr[data-code="${codes.own}"] a`).click();
  await expect(page.locator('main')).toContainText(OWN.phone);
  await context.close();
});

test('a leader sees a contact only after asking for it on purpose', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await signIn(page, `/feedback/items?q=${encodeURIComponent(codes.other)}`, LEADER);
  await page.locator(`tr[data-code="${codes.other}"] a`).click();
  await expect(page.locator('main')).toContainText('chưa được trả đúng hẹn');
  await expect(page.locator('main')).not.toContainText(OTHER.phone);
  await page.getByRole('link', { name: /thông tin liên hệ/i }).click();
  await expect(page).toHaveURL(/contact=1/);
  await expect(page.locator('main')).toContainText(OTHER.phone);
  await context.close();
});

for (const next of ['/%09/evil.example', '//evil.example', '/\\evil.example', 'https://evil.example/']) {
  test(`signing in with next=${next} stays on this site`, async ({ page }) => {
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Tên đăng nhập').fill(LEADER.username);
    await page.getByLabel('Mật khẩu').fill(LEADER.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).origin).toBe(new URL(BASE).origin);
  });
}

test('the language switch keeps to this site', async ({ page }) => {
  // A path that starts like another site's address (the page is "not found").
  await page.goto(`${BASE}//evil.example/feedback`);
  const link = page.locator('a.lang-switch');
  const href = await link.getAttribute('href');
  expect(href.startsWith('/') && !href.startsWith('//')).toBe(true);
  await link.click();
  expect(new URL(page.url()).origin).toBe(new URL(BASE).origin);
});

test('staff cannot set an item aside, nor rate one', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await signIn(page, `/feedback/items?q=${encodeURIComponent(codes.own)}`, STAFF);
  await page.locator(`tr[data-code="${codes.own}"] a`).click();
  await page.locator('#act-classify-classification').selectOption('out-of-scope');
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Lưu phân loại', exact: true }).click();
  expect((await response).status()).toBe(403);
  await page.goto(`/feedback/track?code=${codes.own}`);
  await expect(page.getByTestId('public-status')).toHaveText('Đã tiếp nhận');
  // Signed in, no rating form is offered, whatever the link says.
  await page.goto(`/feedback/track?code=${codes.own}&key=DG-AAAA-AAAA-AAAA-AAAA`);
  await expect(page.locator('input[name="rating"]')).toHaveCount(0);
  await context.close();
});
