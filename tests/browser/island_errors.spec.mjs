// The survey island tells a respondent why a submission did not go through,
// by the kind of refusal, and loses nothing typed: a round that closed while
// the form was open, too many submissions from one address, and a form whose
// anti-forgery cookie is gone (sending again then works).
import { test, expect } from '@playwright/test';
import { STAFF, answer, fillProfile, sampleAnswers, signIn, wakeIsland } from './helpers.mjs';

const BASE = process.env.HAILONG_URL ?? 'http://127.0.0.1:3311';
const RECEIPT = /\/receipt\/HL-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/;
const SLUG = `dong-${Date.now().toString(36)}`;

test.describe.configure({ mode: 'serial' });

/** A respondent's phone, with JavaScript, seen by the server as `address`. */
async function respondent(browser, address) {
  const context = await browser.newContext({
    baseURL: BASE,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    // The test server trusts one proxy: each test is its own address.
    extraHTTPHeaders: { 'X-Forwarded-For': address },
  });
  return { context, page: await context.newPage() };
}

async function fillWholeForm(page, slug) {
  await page.goto(`/s/${slug}`);
  await wakeIsland(page);
  await fillProfile(page);
  await answer(page, sampleAnswers());
}

const submit = (page) => page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
const failure = (page) => page.locator('.form-failure[role="alert"]');

test('a round closed while the form was open says so, and keeps the answers', async ({ browser }) => {
  const staffContext = await browser.newContext({ baseURL: BASE });
  const staff = await staffContext.newPage();
  await signIn(staff, '/rounds', STAFF);
  await staff.getByText('Tạo đợt khảo sát mới').click();
  await staff.locator('#round-create-slug').fill(SLUG);
  await staff.locator('#round-create-title_vi').fill('Đợt sắp đóng');
  await staff.locator('#round-create-year').fill('2027');
  const dvhcc = await staff.locator('#round-create-instrument option', { hasText: 'dvhcc v1' }).getAttribute('value');
  await staff.locator('#round-create-instrument').selectOption(dvhcc);
  await staff.locator('label[for="round-create-aud-businesses"]').click();
  await staff.getByRole('button', { name: 'Lưu' }).first().click();
  await expect(staff).toHaveURL(new RegExp(`/rounds/${SLUG}/manage$`));
  await staff.getByRole('button', { name: 'Mở đợt khảo sát' }).click();
  await expect(staff.getByText('Đang mở').first()).toBeVisible();

  const { context, page } = await respondent(browser, '198.51.100.10');
  await fillWholeForm(page, SLUG);

  await staff.getByRole('button', { name: 'Đóng đợt khảo sát' }).click();
  await expect(staff.getByText('Đã đóng').first()).toBeVisible();

  await submit(page);
  await expect(failure(page)).toHaveText('Đợt khảo sát này đã kết thúc, không nhận thêm phiếu.');
  expect(page.url()).not.toMatch(RECEIPT);
  await expect(page.locator('#q-A1-5')).toBeChecked();
  await expect(page.getByRole('button', { name: 'Gửi phiếu khảo sát' })).toBeEnabled();
  await context.close();
  await staffContext.close();
});

test('too many submissions from one address are told how long to wait', async ({ browser }) => {
  const address = '198.51.100.20';
  const { context, page } = await respondent(browser, address);
  await fillWholeForm(page, (await (await page.request.get('/api/v1/rounds')).json())[0].slug);
  // Spend this address's budget of survey submissions (30 a minute).
  for (let i = 0; i < 30; i += 1) {
    await page.request.post('/sf/survey/submit', {
      form: { slug: 'does-not-matter', csrf_token: 'spent' },
      headers: { Accept: 'application/json' },
    });
  }
  await submit(page);
  await expect(failure(page)).toContainText('Bạn đã gửi quá nhiều lần');
  await expect(failure(page)).toContainText(/Vui lòng chờ \d+ giây/);
  await expect(page.locator('#q-A1-5')).toBeChecked();
  await context.close();
});

test('a form whose cookie is gone asks to send again, and then goes through', async ({ browser }) => {
  const { context, page } = await respondent(browser, '198.51.100.30');
  const slug = (await (await page.request.get('/api/v1/rounds')).json())[0].slug;
  await fillWholeForm(page, slug);
  // The browser lost its cookies (restarted, cleared) while the form stayed open.
  await context.clearCookies();
  await submit(page);
  await expect(failure(page)).toHaveText(
    'Trang đã để quá lâu nên phiếu chưa được gửi. Các câu trả lời vẫn còn trên trang: vui lòng bấm gửi lại.',
  );
  await expect(page.locator('#q-A1-5')).toBeChecked();
  await submit(page);
  await expect(page).toHaveURL(RECEIPT);
  await context.close();
});
