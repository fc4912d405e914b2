// Leadership in a real browser: the dashboard of the closed demo round with
// a filter (JavaScript off, the filter form is a plain GET), the printable
// report, approval and publication, and the public results page. The figures
// on every page are the API's, and the pages pass axe-core.
import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';
import { api, indices, openRoundSlug, signIn, vietnamesePercent } from './helpers.mjs';

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
