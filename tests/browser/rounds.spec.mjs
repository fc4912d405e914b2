// A round from start to finish in a real browser: staff build it on the
// default questionnaire, open it, print the QR poster and import an
// invitation list; a business on a phone fills it from its personal link,
// saves, resumes and submits once, with JavaScript and without; a paper
// batch is imported. Public pages pass axe-core without serious problems.
import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';
import { STAFF, answer, fillProfile, sampleAnswers, signIn, wakeIsland } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const SLUG = `ks-${Date.now().toString(36)}`;
// Contexts made by hand do not take the config's options.
const BASE = process.env.HAILONG_URL ?? 'http://127.0.0.1:3311';
const RECEIPT = /\/receipt\/HL-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/;

test.describe.configure({ mode: 'serial' });

test('staff build, open and distribute a round', async ({ page }) => {
  await signIn(page, '/rounds', STAFF);
  await expect(page).toHaveURL(/\/rounds$/);
  await page.getByText('Tạo đợt khảo sát mới').click();
  await page.locator('#round-create-slug').fill(SLUG);
  await page.locator('#round-create-title_vi').fill('Khảo sát doanh nghiệp quý I');
  await page.locator('#round-create-year').fill('2027');
  const dvhcc = await page.locator('#round-create-instrument option', { hasText: 'dvhcc v1' }).getAttribute('value');
  await page.locator('#round-create-instrument').selectOption(dvhcc);
  await page.locator('label[for="round-create-aud-businesses"]').click();
  await page.locator('#round-create-dossiers_handled').fill('150');
  await page.getByRole('button', { name: 'Lưu' }).first().click();

  await expect(page).toHaveURL(new RegExp(`/rounds/${SLUG}/manage$`));
  await expect(page.getByRole('status').first()).toHaveText('Đã lưu đợt khảo sát.');
  await expect(page.getByTestId('round-stats')).toContainText('Cỡ mẫu mục tiêu: 110');
  await page.getByRole('button', { name: 'Mở đợt khảo sát' }).click();
  await expect(page.getByText('Đang mở').first()).toBeVisible();

  const link = await page.getByTestId('public-link').textContent();
  expect(link).toMatch(new RegExp(`/s/${SLUG}$`));
  await page.getByRole('link', { name: 'In áp phích A4' }).click();
  await expect(page.locator('.poster-qr svg')).toBeVisible();
  await expect(page.locator('.poster-link')).toHaveText(link);
  const qr = await page.request.get(`/api/v1/rounds/${SLUG}/qr.png`);
  expect(qr.headers()['content-type']).toBe('image/png');

  await page.goto(`/rounds/${SLUG}/invitations`);
  const list = 'name,tax_code,email,phone,department,procedure\n'
    + 'Công ty TNHH Cơ khí Chu Lai,0401234567,ketoan@chulai.vn,0905123456,,LD-01\n'
    + 'Công ty CP Dệt may Tam Thăng,0401234568,,,QLDN,\n';
  await page.locator('#invitation-file').setInputFiles({ name: 'moi.csv', mimeType: 'text/csv', buffer: Buffer.from(list) });
  await page.getByRole('button', { name: 'Nhập tệp' }).click();
  await expect(page.getByRole('status').first()).toContainText('Đã nhập số người được mời: 2');
  await expect(page.locator('#invitation-list tbody tr')).toHaveCount(2);

  // One invitee has an address: the invitation is queued once, and the
  // figures follow the outbox on the page itself, untouched (the island
  // wakes at once and asks again while a message waits; without
  // JavaScript a reload shows the same).
  await page.locator('#reminder-days').fill('7, 14');
  await page.getByRole('button', { name: 'Lưu lịch nhắc' }).click();
  await expect(page.getByRole('status').first()).toHaveText('Đã lưu lịch nhắc.');
  await expect(page.locator('#reminder-days')).toHaveValue('7,14');
  await page.getByRole('button', { name: 'Gửi thư mời (1)' }).click();
  await expect(page.getByTestId('invitations-queued')).toHaveText('Đã xếp hàng gửi thư mời: 1');
  const sent = page.getByTestId('invitation-progress').getByRole('row', { name: /^Thư đã gửi/ });
  await expect(sent.getByRole('cell')).toHaveText('1', { timeout: 20000 });
  await expect(page.getByText('Không còn ai cần gửi thư mời.')).toBeVisible();
});

async function personalLinks(page) {
  await signIn(page, `/rounds/${SLUG}/invitations`, STAFF);
  const links = await page.getByRole('link', { name: 'Đường dẫn riêng', exact: true }).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  await page.context().clearCookies();
  return links;
}

for (const javaScriptEnabled of [true, false]) {
  test(`a business on a phone saves, resumes and submits once (${javaScriptEnabled ? 'JavaScript' : 'no JavaScript'})`, async ({ browser }) => {
    const staffContext = await browser.newContext({ baseURL: BASE });
    const links = await personalLinks(await staffContext.newPage());
    await staffContext.close();
    expect(links).toHaveLength(2);
    const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const link = links[javaScriptEnabled ? 0 : 1];
    const code = new URL(link, 'http://x').searchParams.get('code');

    await page.goto(link);
    await expect(page.locator('#f-invitation-code')).toHaveValue(code);
    if (javaScriptEnabled) await wakeIsland(page);
    await fillProfile(page);
    const answers = sampleAnswers();
    const firstHalf = Object.fromEntries(Object.entries(answers).slice(0, 9));
    await answer(page, firstHalf);
    await page.getByRole('button', { name: 'Lưu để làm tiếp sau' }).click();
    await expect(page).toHaveURL(new RegExp(`/s/${SLUG}/saved/NH-`));
    const resume = await page.getByTestId('resume-code').textContent();

    // Later, on another device: the code brings everything back.
    const later = await context.browser().newContext({ baseURL: BASE, javaScriptEnabled, viewport: { width: 390, height: 844 } });
    const phone = await later.newPage();
    await phone.goto(`/s/${SLUG}`);
    await phone.getByText('Đã lưu phiếu trước đó? Nhập mã để làm tiếp').click();
    await phone.locator('#resume-code').fill(resume.toLowerCase());
    await phone.getByRole('button', { name: 'Mở phiếu đã lưu' }).click();
    await expect(phone.locator('#q-A1-5')).toBeChecked();
    await expect(phone.locator('#f-invitation-code')).toHaveValue(code);
    await answer(phone, Object.fromEntries(Object.entries(answers).slice(9)));
    await phone.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
    await expect(phone).toHaveURL(RECEIPT);

    // The code has answered: the first device cannot send it again.
    await page.goto(link);
    await fillProfile(page);
    await answer(page, answers);
    await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
    await expect(page.locator('#f-invitation-code-error')).toContainText('đã được dùng');
    await later.close();
    await context.close();
  });
}

test('a paper batch is imported with progress', async ({ page }) => {
  await signIn(page, `/rounds/${SLUG}/entry`, STAFF);
  await page.getByText('Nhập tệp phiếu giấy, phiếu điện thoại').click();
  const codes = ['A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3', 'O1'];
  let csv = `respondent_type,channel,department,procedure,submitted_at,${codes.join(',')},comment\n`;
  for (let i = 0; i < 60; i += 1) {
    csv += `doanh-nghiep,paper,QLDN,,2027-01-${String(1 + (i % 28)).padStart(2, '0')},${codes.map((_, j) => ((i + j) % 5) + 1).join(',')},\n`;
  }
  await page.locator('#responses-file').setInputFiles({ name: 'phieu-giay.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Nhập tệp' }).click();
  await expect(page).toHaveURL(new RegExp(`/rounds/${SLUG}/imports/NK-`));
  await expect(page.getByTestId('import-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('import-status')).toContainText('60/60');

  await page.goto(`/rounds/${SLUG}/manage`);
  await expect(page.getByTestId('round-stats')).toContainText('Số phiếu: 62');
});

test('public pages have no serious or critical accessibility problems', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, bypassCSP: true });
  const page = await context.newPage();
  const audit = async (path) => {
    await page.goto(path);
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
    expect(result.testEngine.name).toBe('axe-core');
    expect(result.passes.length).toBeGreaterThan(10);
    const serious = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
    expect(serious.map((v) => `${path}: ${v.id} — ${v.help} (${v.nodes.length})`)).toEqual([]);
  };
  await audit('/');
  await audit(`/s/${SLUG}`);
  await audit(`/s/${SLUG}?lang=en`);
  await audit('/login');
  await audit('/ratings');
  // The form with every error showing.
  await page.goto(`/s/${SLUG}?lang=vi`);
  await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
  await expect(page.locator('#error-summary')).toBeVisible();
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  expect(result.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id)).toEqual([]);
  await context.close();
});
