// Shared steps of the browser tests: finding the open round, filling the
// survey like a person would, and the index formula of docs/methodology.md, “Formulas”
// written again independently of the Rust engine.
import { expect, request as playwrightRequest } from '@playwright/test';

/** The JSON API with the leader's token that scripts/test created. */
export async function api() {
  return playwrightRequest.newContext({
    baseURL: process.env.HAILONG_URL ?? 'http://127.0.0.1:3311',
    extraHTTPHeaders: { Authorization: `Bearer ${process.env.HAILONG_TOKEN}` },
  });
}

/** The staff account that scripts/test created. */
export const LEADER = { username: 'lanhdao', password: process.env.HAILONG_LEADER_PASSWORD ?? 'browser test password' };

/** The staff account of the one-stop counter (department QLDN). */
export const STAFF = { username: 'canbo', password: process.env.HAILONG_STAFF_PASSWORD ?? 'staff test password' };

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page, next, account = LEADER) {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.getByLabel('Tên đăng nhập').fill(account.username);
  await page.getByLabel('Mật khẩu').fill(account.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/**
 * Wakes the survey form's island as a person's first key press would (the
 * wasm loads at the first interaction) and waits until it runs: the
 * progress bar is drawn only by the island.
 */
export async function wakeIsland(page) {
  await page.keyboard.press('Shift');
  await expect(page.locator('#survey-progress')).toBeVisible();
}

export async function openRoundSlug() {
  const response = await (await api()).get('/api/v1/rounds');
  expect(response.status()).toBe(200);
  const rounds = await response.json();
  expect(rounds.length).toBeGreaterThan(0);
  return rounds[0].slug;
}

export async function indices(slug) {
  const response = await (await api()).get(`/api/v1/rounds/${slug}/indices`);
  expect(response.status()).toBe(200);
  return response.json();
}

/** Index codes A1..E3 plus O1: every question the form requires. */
export const REQUIRED = [
  'A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3',
  'D1', 'D2', 'D3', 'E1', 'E2', 'E3', 'O1',
];

/** A fixed set of answers: a mix of levels and "not applicable". */
export function sampleAnswers() {
  const levels = ['5', '4', '3', '2', '1', '4', 'na', '5', '4', '4', '3', '5', '2', '4', '5', 'na', '3', '4'];
  return Object.fromEntries(REQUIRED.map((code, i) => [code, levels[i]]));
}

/** Chooses the answers by clicking their labels, as a person would. */
export async function answer(page, answers) {
  for (const [code, value] of Object.entries(answers)) {
    await page.locator(`label[for="q-${code}-${value}"]`).click();
  }
}

export async function fillProfile(page) {
  await page.locator('label[for="f-respondent-type-doanh-nghiep"]').click();
  await page.locator('#f-respondent-department').selectOption('QLDN');
  await page.locator('label[for="f-respondent-submission-method-truc-tuyen"]').click();
}

/**
 * docs/methodology.md, “Formulas” from per-criterion counts: criterion index = 100 ×
 * satisfied / valid; element = mean of its criterion indices with a valid
 * answer; overall = mean of element indices.
 */
export function overallFromCounts(criteria) {
  const byElement = new Map();
  for (const c of criteria) {
    if (c.n_valid === 0) continue;
    const list = byElement.get(c.element) ?? [];
    list.push((100 * c.n_satisfied) / c.n_valid);
    byElement.set(c.element, list);
  }
  const elementIndices = [...byElement.values()].map((l) => l.reduce((a, b) => a + b, 0) / l.length);
  return elementIndices.reduce((a, b) => a + b, 0) / elementIndices.length;
}

/** 71.4523 → "71,45" as the Vietnamese pages write it. */
export function vietnamesePercent(value) {
  return value.toFixed(2).replace('.', ',');
}
