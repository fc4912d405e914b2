// The survey-to-index slice in a real browser: a respondent on a phone-sized
// screen fills the form with JavaScript and without it; the dashboard then
// shows the index that the methodology's formula gives for what is stored.
import { test, expect } from '@playwright/test';
import {
  answer, fillProfile, indices, openRoundSlug, overallFromCounts, sampleAnswers, signIn, vietnamesePercent, wakeIsland,
} from './helpers.mjs';

const RECEIPT = /\/receipt\/HL-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/;

test.describe('with JavaScript', () => {
  test('a complete survey is stored once and counted on the dashboard', async ({ page }) => {
    const slug = await openRoundSlug();
    const before = await indices(slug);

    await page.goto(`/s/${slug}`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
    await wakeIsland(page);
    await fillProfile(page);
    const answers = sampleAnswers();
    await answer(page, answers);
    await expect(page.locator('.progress')).toContainText('Đã trả lời 18/18 câu bắt buộc');
    await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();

    await expect(page).toHaveURL(RECEIPT);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cảm ơn Ông/Bà đã tham gia khảo sát');
    const code = await page.getByTestId('receipt-code').textContent();
    expect(page.url()).toContain(code);

    const after = await indices(slug);
    expect(after.n_responses).toBe(before.n_responses + 1);
    for (const criterion of after.criteria) {
      const earlier = before.criteria.find((c) => c.code === criterion.code);
      const given = answers[criterion.code];
      const valid = given !== undefined && given !== 'na';
      expect(criterion.n_valid, criterion.code).toBe(earlier.n_valid + (valid ? 1 : 0));
      expect(criterion.n_satisfied, criterion.code).toBe(earlier.n_satisfied + (valid && Number(given) >= 4 ? 1 : 0));
    }

    const expected = overallFromCounts(after.criteria);
    await signIn(page, `/rounds/${slug}`);
    await expect(page).toHaveURL(new RegExp(`/rounds/${slug}$`));
    await expect(page.getByTestId('overall-index')).toHaveText(vietnamesePercent(expected));
    await expect(page.getByTestId('n-responses')).toHaveText(String(after.n_responses).replace(/\B(?=(\d{3})+(?!\d))/g, '.'));
    await expect(page.locator('.chart-svg svg').first()).toBeVisible();
  });

  test('missing answers are shown beside the questions without leaving the page', async ({ page }) => {
    const slug = await openRoundSlug();
    const before = await indices(slug);
    await page.goto(`/s/${slug}`);
    await wakeIsland(page);
    const answers = sampleAnswers();
    delete answers.B2;
    await answer(page, answers);
    await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();

    const summary = page.locator('#error-summary');
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    expect(page.url()).not.toContain('draft=');
    await expect(summary).toContainText('B2.');
    await expect(page.locator('#q-B2 .field-error')).toBeVisible();
    await expect(page.locator('#f-respondent-type .field-error')).toBeVisible();
    expect(page.url()).not.toContain('receipt');
    expect((await indices(slug)).n_responses).toBe(before.n_responses);

    // Fixing the answers clears their messages; the same form then goes through.
    await page.locator('label[for="q-B2-4"]').click();
    await expect(page.locator('#q-B2 .field-error')).toBeHidden();
    await expect(page.locator('#q-B2 .field-error')).toHaveText('');
    await expect(page.locator('#error-summary')).not.toContainText('B2.');
    await fillProfile(page);
    await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
    await expect(page).toHaveURL(RECEIPT);
    expect((await indices(slug)).n_responses).toBe(before.n_responses + 1);
  });

  test('the English switch shows the form in English', async ({ page }) => {
    const slug = await openRoundSlug();
    await page.goto(`/s/${slug}`);
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL(/lang=en/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('button', { name: 'Submit the survey' })).toBeVisible();
    await expect(page.locator('#q-A1')).toContainText('clear signs');
  });
});

test('the form works before its island wakes, and the island counts what was chosen', async ({ page }) => {
  const slug = await openRoundSlug();
  await page.goto(`/s/${slug}`);
  await page.waitForLoadState('networkidle');
  // Nothing has run yet: the island waits for the first interaction.
  await expect(page.locator('#survey-progress')).toHaveCount(0);
  await page.locator('label[for="q-A1-5"]').click();
  await expect(page.locator('#q-A1-5')).toBeChecked();
  await expect(page.locator('#survey-progress')).toBeVisible();
  await expect(page.locator('.progress')).toContainText('Đã trả lời 1/18 câu bắt buộc');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a complete survey posts, is stored and shows its receipt', async ({ page }) => {
    const slug = await openRoundSlug();
    const before = await indices(slug);
    await page.goto(`/s/${slug}`);
    await expect(page.locator('#survey-progress')).toHaveCount(0);
    await fillProfile(page);
    await answer(page, sampleAnswers());
    await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
    await expect(page).toHaveURL(RECEIPT);
    await expect(page.getByTestId('receipt-code')).toHaveText(/^HL-/);
    expect((await indices(slug)).n_responses).toBe(before.n_responses + 1);
  });

  test('an incomplete survey comes back with its errors and nothing typed is lost', async ({ page }) => {
    const slug = await openRoundSlug();
    const before = await indices(slug);
    await page.goto(`/s/${slug}?lang=en`);
    const answers = sampleAnswers();
    delete answers.C3;
    delete answers.O1;
    await fillProfile(page);
    await answer(page, answers);
    await page.locator('#f-comment').fill('Thủ tục nhanh, cán bộ nhiệt tình.');
    await page.getByRole('button', { name: 'Submit the survey' }).click();

    await expect(page).toHaveURL(/draft=NH-/);
    const summary = page.locator('#error-summary');
    await expect(summary).toContainText('C3.');
    await expect(summary).toContainText('O1.');
    await expect(page.locator('#q-C3 .field-error')).toHaveText(/Please choose a rating/);
    // What was chosen and typed is still there.
    await expect(page.locator('#q-A1-5')).toBeChecked();
    await expect(page.locator('#q-A3-3')).toBeChecked();
    await expect(page.locator('#f-respondent-type-doanh-nghiep')).toBeChecked();
    await expect(page.locator('#f-respondent-department')).toHaveValue('QLDN');
    await expect(page.locator('#f-comment')).toHaveValue('Thủ tục nhanh, cán bộ nhiệt tình.');
    expect((await indices(slug)).n_responses).toBe(before.n_responses);

    await page.locator('label[for="q-C3-5"]').click();
    await page.locator('label[for="q-O1-4"]').click();
    await page.getByRole('button', { name: 'Submit the survey' }).click();
    await expect(page).toHaveURL(RECEIPT);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for taking part in the survey');
    expect((await indices(slug)).n_responses).toBe(before.n_responses + 1);
  });

  test('the dashboard shows its numbers without JavaScript', async ({ page }) => {
    const slug = await openRoundSlug();
    const report = await indices(slug);
    await signIn(page, `/rounds/${slug}`);
    await expect(page.getByTestId('overall-index')).toHaveText(vietnamesePercent(overallFromCounts(report.criteria)));
    await expect(page.locator('#criteria-table tbody tr')).toHaveCount(17);
    await expect(page.locator('.chart-svg svg').first()).toBeVisible();
  });
});
