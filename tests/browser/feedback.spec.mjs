// A hotline call in a real browser, from recording through classification,
// assignment, answer, approval and publication to the public list and the
// tracking page; the public form without JavaScript; axe-core on the pages.
import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';
import { LEADER, STAFF, signIn } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const BASE = process.env.HAILONG_URL ?? 'http://127.0.0.1:3311';
const CALLER = { name: 'Võ Thị Thanh Hương', phone: '0914 222 333', address: 'Lô B5, KCN Tam Thăng' };
const ANSWER = 'Ban đã làm việc với doanh nghiệp; giấy phép lao động được trả ngày 02/12 tại Bộ phận Một cửa.';

test.describe.configure({ mode: 'serial' });

let trackingCode = '';
let ratingLink = '';

async function expectNoSeriousProblems(page, label) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  expect(result.passes.length).toBeGreaterThan(10);
  const serious = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  expect(serious.map((v) => `${label}: ${v.id} — ${v.help} (${v.nodes.length})`)).toEqual([]);
}

async function act(page, button) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect(page.getByRole('status').first()).toHaveText('Đã cập nhật phản ánh.');
}

test('staff record a hotline call and handle it to an answer', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, '/feedback/items', STAFF);
  await expect(page).toHaveURL(/\/feedback\/items$/);
  await page.getByRole('link', { name: 'Ghi nhận phản ánh mới' }).click();
  await expect(page.locator('#rec-channel')).toHaveValue('hotline');
  await page.locator('#rec-content').fill(
    `Bà ${CALLER.name} gọi lúc 9 giờ: hồ sơ cấp giấy phép lao động nộp ngày 10/11 đã quá hẹn nhưng chưa được thông báo lý do. Cán bộ hẹn chị huơng  gọi lại.`,
  );
  await page.locator('#rec-category').selectOption('procedures');
  await page.locator('#rec-procedure').selectOption('LD-01');
  await page.locator('#rec-sender-name').fill(CALLER.name);
  await page.locator('#rec-sender-address').fill(CALLER.address);
  await page.locator('#rec-sender-phone').fill(CALLER.phone);
  await page.locator('label[for="rec-consent"]').click();
  await page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();

  await expect(page.getByRole('status').first()).toHaveText('Đã ghi nhận phản ánh và cấp mã tra cứu.');
  const heading = await page.getByRole('heading', { level: 1 }).textContent();
  trackingCode = heading.match(/PA-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/)[0];
  // The caller's private rating link, shown on the recording officer's
  // receipt to hand over with the code; the item's page does not show it.
  ratingLink = (await page.getByTestId('sender-receipt').locator('code').textContent()).trim();
  expect(ratingLink).toMatch(new RegExp(`^/feedback/track\\?code=${trackingCode}&key=DG-`));
  await page.goto(new URL(page.url()).pathname);
  await expect(page.getByTestId('sender-receipt')).toHaveCount(0);
  await expect(page.getByTestId('item-facts')).toContainText('Mới tiếp nhận');
  await expect(page.getByTestId('item-facts')).toContainText('Phòng Quản lý doanh nghiệp');
  await expectNoSeriousProblems(page, 'feedback item');

  await page.locator('#act-classify-classification').selectOption('in-scope');
  await act(page, 'Lưu phân loại');
  await expect(page.getByTestId('item-facts')).toContainText('Đã phân loại');
  await page.locator('#act-assign-department').selectOption('QLDN');
  await act(page, 'Giao xử lý');
  await act(page, 'Bắt đầu xử lý');
  await page.locator('#act-answer-answer').fill(ANSWER);
  await act(page, 'Lưu câu trả lời');
  await expect(page.getByTestId('item-answer')).toHaveText(ANSWER);
  // Staff do not approve their own answers.
  await expect(page.getByRole('button', { name: 'Duyệt câu trả lời' })).toHaveCount(0);
  await expect(page.locator('#history tbody tr')).toHaveCount(5);

  await page.goto(`/feedback/items?q=${encodeURIComponent('giay phep lao dong')}`);
  await expect(page.locator(`tr[data-code="${trackingCode}"]`)).toBeVisible();
  await expectNoSeriousProblems(page, 'feedback list');
  await context.close();
});

test('leadership approve and publish the answer', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await signIn(page, '/feedback/items?status=answered', LEADER);
  await page.locator(`tr[data-code="${trackingCode}"] a`).click();
  await act(page, 'Duyệt câu trả lời');
  const summary = page.locator('#act-publish-public-summary');
  await expect(summary).not.toContainText(CALLER.name);
  await expect(summary).not.toContainText(/hương|huơng/i);
  await expect(summary).toContainText('quá hẹn');
  // The leader sees what the public page hides, highlighted: the full name
  // and the given name written without care after "chị".
  const hidden = page.getByTestId('public-check').locator('mark.redacted');
  await expect(hidden.filter({ hasText: CALLER.name })).toHaveCount(1);
  await expect(hidden.filter({ hasText: 'huơng' })).toHaveCount(1);
  // Publishing needs the leader's confirmation that they have read it.
  const confirm = page.locator('#act-publish-confirm-public');
  await expect(confirm).toHaveAttribute('required', '');
  await confirm.check();
  await act(page, 'Công khai câu trả lời');
  await expect(page.getByTestId('item-facts')).toContainText('Đã công khai trả lời');
  await context.close();
});

test('anyone reads the answer without JavaScript, tracks it and rates the handling', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/feedback/answers');
  const answers = page.getByTestId('public-answers');
  await expect(answers).toContainText(ANSWER);
  for (const secret of [CALLER.name, CALLER.phone, CALLER.address, trackingCode]) {
    await expect(answers).not.toContainText(secret);
  }

  await page.goto('/feedback/track');
  await page.locator('#track-code').fill(trackingCode.toLowerCase());
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(page.getByTestId('public-status')).toHaveText('Đã có câu trả lời');
  await expect(page.getByTestId('public-answer')).toHaveText(ANSWER);
  // The tracking code alone does not rate: only the caller's private link does.
  await expect(page.locator('input[name="rating"]')).toHaveCount(0);
  await page.goto(ratingLink);
  await page.locator('label[for="rating-4"]').click();
  await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(page.getByRole('status').first()).toContainText('Cảm ơn bạn đã đánh giá');
  await expect(page.locator('input[name="rating"]')).toHaveCount(0);
  await context.close();
});

test('a citizen sends feedback through the public form without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: 'Gửi phản ánh' }).click();
  await expect(page.getByTestId('hotline')).toContainText('0235 3800 800');
  await page.locator('#fb-content').fill('Ngắn');
  await page.locator('#fb-sender-email').fill('khong-hop-le');
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page.locator('#error-summary')).toBeVisible();
  await expect(page.locator('#fb-content-error')).toBeVisible();
  await expect(page.locator('#fb-sender-email')).toHaveValue('khong-hop-le');

  await page.locator('#fb-content').fill('Đề nghị niêm yết thời gian trả kết quả từng thủ tục tại Bộ phận Một cửa.');
  await page.locator('#fb-sender-email').fill('');
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page).toHaveURL(/\/feedback\/track\?code=PA-/);
  await expect(page.getByRole('status').first()).toContainText('Vì thiếu thông tin liên hệ');
  await expect(page.getByTestId('tracking-code')).toHaveText(/^PA-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await expect(page.getByTestId('public-status')).toHaveText('Đã tiếp nhận');
  await context.close();
});

test('the public feedback pages have no serious accessibility problems', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, bypassCSP: true });
  const page = await context.newPage();
  for (const path of ['/feedback', '/feedback/answers', `/feedback/track?code=${trackingCode}`, '/feedback?lang=en']) {
    await page.goto(path);
    await expectNoSeriousProblems(page, path);
  }
  await page.goto('/feedback?lang=vi');
  await context.close();
});
