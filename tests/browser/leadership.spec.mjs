// Leadership in a real browser: the dashboard of the closed demo round with
// a filter (JavaScript off, the filter form is a plain GET), the printable
// report, approval and publication, and the public results page. The figures
// on every page are the API's, and the pages pass axe-core.
import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';
import { STAFF, api, indices, openRoundSlug, signIn, vietnamesePercent } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const BASE = process.env.HAILONG_URL ?? 'http://127.0.0.1:3311';

test.describe.configure({ mode: 'serial' });

/** The demo's closed round is the half-year before the open one. */
async function closedRoundSlug() {
  const open = await openRoundSlug();
  const [, year, half] = open.match(/^khao-sat-(\d{4})-h([12])$/).map(Number);
  return half === 2 ? `khao-sat-${year}-h1` : `khao-sat-${year - 1}-h2`;
}

async function expectNoSeriousProblems(page, label) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  expect(result.passes.length).toBeGreaterThan(10);
  const serious = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  expect(serious.map((v) => `${label}: ${v.id} — ${v.help} (${v.nodes.length})`)).toEqual([]);
}

test('the dashboard filters without JavaScript and shows the API figures', async ({ browser }) => {
  const slug = await closedRoundSlug();
  const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, `/rounds/${slug}`);
  await expect(page).toHaveURL(new RegExp(`/rounds/${slug}$`));

  const all = await indices(slug);
  await expect(page.getByTestId('overall-index')).toHaveText(vietnamesePercent(all.overall));
  const drivers = await (await (await api()).get(`/api/v1/rounds/${slug}/drivers`)).json();
  expect(drivers.hidden).toBeNull();
  // Elements, distribution, trend and the importance–performance matrix.
  await expect(page.locator('.chart-svg svg')).toHaveCount(4);
  // Every chart comes with its numbers in a table.
  for (const element of all.elements) {
    await expect(page.locator(`[data-element="${element.code}"]`)).toHaveText(vietnamesePercent(element.index));
  }
  for (const criterion of drivers.criteria) {
    await expect(page.locator(`#drivers-table [data-criterion="${criterion.code}"] td`).nth(3))
      .toHaveText(vietnamesePercent(criterion.weight));
  }

  await page.locator('#filter-department').selectOption('QLDN');
  await page.getByRole('button', { name: 'Áp dụng bộ lọc' }).click();
  await expect(page).toHaveURL(/department=QLDN/);
  const qldn = await (await api()).get(`/api/v1/rounds/${slug}/indices?department=QLDN`);
  const filtered = await qldn.json();
  expect(filtered.n_responses).toBeLessThan(all.n_responses);
  await expect(page.getByTestId('overall-index')).toHaveText(vietnamesePercent(filtered.overall));
  await expect(page.locator('#filter-department')).toHaveValue('QLDN');
  // The driver analysis covers the whole round: a filtered page says so.
  await expect(page.locator('.chart-svg svg')).toHaveCount(3);
  await expect(page.getByTestId('drivers')).toContainText('toàn bộ đợt');

  await page.getByRole('link', { name: 'Báo cáo in A4' }).click();
  await expect(page).toHaveURL(new RegExp(`/rounds/${slug}/report\\?.*department=QLDN`));
  await expect(page.getByTestId('overall-index')).toHaveText(vietnamesePercent(filtered.overall));
  await expect(page.locator('.method')).toBeVisible();
  await context.close();
});

test('leadership publish the closed round and anyone can read the results', async ({ browser }) => {
  const slug = await closedRoundSlug();
  const all = await indices(slug);
  const context = await browser.newContext({ baseURL: BASE, bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, `/rounds/${slug}`);
  await expectNoSeriousProblems(page, 'dashboard');
  await page.goto(`/rounds/${slug}/report`);
  await expectNoSeriousProblems(page, 'report');

  await page.goto(`/rounds/${slug}/manage`);
  await page.getByRole('button', { name: 'Công bố kết quả' }).click();
  await expect(page.getByText('Đã công bố').first()).toBeVisible();
  await page.goto(`/rounds/${slug}`);
  const link = page.locator('a[href^="/results/KQ-"]');
  await expect(link).toHaveCount(1);
  const href = await link.getAttribute('href');

  const reader = await browser.newContext({ baseURL: BASE, bypassCSP: true });
  const publicPage = await reader.newPage();
  await publicPage.goto('/');
  await publicPage.locator(`a[href="${href}"]`).click();
  await expect(publicPage).toHaveURL(new RegExp(`${href}$`));
  await expect(publicPage.getByTestId('overall-index')).toHaveText(vietnamesePercent(all.overall));
  await expect(publicPage.getByTestId('n-responses')).toHaveText(all.n_responses.toLocaleString('vi-VN'));
  await expectNoSeriousProblems(publicPage, 'published results');
  await reader.close();
  await context.close();
});

/** Newcombe's interval of the change from s1/n1 to s2/n2, in points, written again here. */
function newcombe(s1, n1, s2, n2) {
  const z = 1.959963984540054;
  const wilson = (s, n) => {
    const p = s / n;
    const d = 1 + (z * z) / n;
    const centre = (p + (z * z) / (2 * n)) / d;
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
    return [100 * Math.max(0, centre - half), 100 * Math.min(1, centre + half)];
  };
  const [l1, u1] = wilson(s1, n1);
  const [l2, u2] = wilson(s2, n2);
  const p1 = (100 * s1) / n1;
  const p2 = (100 * s2) / n2;
  const d = p2 - p1;
  const low = d - Math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2);
  const high = d + Math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2);
  return { d, verdict: low > 0 ? 'moved' : high < 0 ? 'fell' : 'not-shown-to-move' };
}

test('a weak criterion goes from the matrix to an action plan, its verdict and the public page', async ({ browser }) => {
  const slug = await closedRoundSlug();
  const next = await openRoundSlug();
  // Plain forms: no JavaScript needed anywhere on the way.
  const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, `/rounds/${slug}`);
  const planLink = page.locator('.fix-first a').first();
  await expect(planLink).toBeVisible();
  const criterion = new URL(await planLink.getAttribute('href'), BASE).searchParams.get('criterion');
  await planLink.click();
  await expect(page).toHaveURL(new RegExp(`/rounds/${slug}/actions\\?criterion=${criterion}`));
  await expect(page.locator('#action-new-criterion')).toHaveValue(criterion);
  await page.locator('#action-new-what').fill('Niêm yết quy trình và thời hạn tại bộ phận một cửa');
  await page.locator('#action-new-owner-department').selectOption('QLDN');
  await page.locator('#action-new-due-on').fill('2027-03-31');
  await page.getByRole('button', { name: 'Ghi hành động' }).click();
  const card = page.locator(`li.action[data-criterion="${criterion}"]`);
  await expect(card.getByTestId('status')).toHaveText('Đã lên kế hoạch');

  // The next round (the open demo round) judges it: the verdict is
  // Newcombe's interval on the API's counts of both rounds.
  const before = (await indices(slug)).criteria.find((c) => c.code === criterion);
  const after = (await indices(next)).criteria.find((c) => c.code === criterion);
  const expected = newcombe(before.n_satisfied, before.n_valid, after.n_satisfied, after.n_valid);
  await expect(card.getByTestId('verdict')).toHaveAttribute('data-verdict', expected.verdict);
  const sign = expected.d > 0 ? '+' : expected.d < 0 ? '−' : '';
  await expect(card.getByTestId('change')).toContainText(`${sign}${vietnamesePercent(Math.abs(expected.d))}`);

  // The leader publishes it; the owner department's officer reports progress.
  await card.getByRole('button', { name: 'Công bố hành động' }).click();
  await expect(card.getByTestId('published')).toBeVisible();
  const officer = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false });
  const officerPage = await officer.newPage();
  await signIn(officerPage, `/rounds/${slug}/actions`, STAFF);
  const officerCard = officerPage.locator(`li.action[data-criterion="${criterion}"]`);
  await expect(officerCard.getByRole('button', { name: 'Công bố hành động' })).toHaveCount(0);
  await officerCard.getByLabel('Trạng thái').selectOption('done');
  await officerCard.getByLabel('Tình hình thực hiện').fill('Đã niêm yết tại quầy từ tháng 1');
  await officerCard.getByRole('button', { name: 'Cập nhật' }).click();
  await expect(officerPage.locator(`li.action[data-criterion="${criterion}"]`).getByTestId('status')).toHaveText('Đã hoàn thành');
  await officer.close();

  // Anyone: from the published results to "you said — we did — measured
  // again"; the next round is not approved yet, so no verdict there.
  const reader = await browser.newContext({ baseURL: BASE, bypassCSP: true });
  const publicPage = await reader.newPage();
  await page.goto(`/rounds/${slug}`);
  const results = await page.locator('a[href^="/results/KQ-"]').first().getAttribute('href');
  await publicPage.goto(results);
  await publicPage.getByRole('link', { name: 'Những việc chúng tôi làm sau khảo sát này' }).click();
  await expect(publicPage).toHaveURL(new RegExp(`${results}/actions$`));
  const publicCard = publicPage.locator(`li.action[data-criterion="${criterion}"]`);
  await expect(publicCard).toContainText('Niêm yết quy trình và thời hạn tại bộ phận một cửa');
  await expect(publicCard).toContainText('Đã hoàn thành');
  await expect(publicCard).not.toContainText('Đã niêm yết tại quầy');
  await expect(publicCard.getByTestId('before')).toHaveText(vietnamesePercent(before.index));
  await expect(publicCard.getByTestId('verdict')).toHaveText('Sẽ đo lại khi kết quả đợt khảo sát sau được công bố.');
  await expectNoSeriousProblems(publicPage, 'actions in public');
  await reader.close();
  await context.close();
});
