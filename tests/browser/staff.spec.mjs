// Staff sign-in in a real browser: the dashboard needs an account, sign-in
// returns to it, sign-out closes it again; the survey stays public.
import { test, expect } from '@playwright/test';
import { LEADER, openRoundSlug, signIn } from './helpers.mjs';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('the dashboard asks for sign-in, shows the round, and closes on sign-out', async ({ page }) => {
      const slug = await openRoundSlug();
      await page.goto(`/rounds/${slug}`);
      await expect(page).toHaveURL(/\/login\?next=/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng nhập');

      await page.getByLabel('Tên đăng nhập').fill(LEADER.username);
      await page.getByLabel('Mật khẩu').fill('not the password');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await expect(page.locator('#password-error')).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');
      await expect(page.getByLabel('Tên đăng nhập')).toHaveValue(LEADER.username);

      await page.getByLabel('Mật khẩu').fill(LEADER.password);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await expect(page).toHaveURL(new RegExp(`/rounds/${slug}$`));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chỉ số hài lòng');
      await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toContainText('Lãnh đạo');

      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await expect(page).toHaveURL(/\/login$/);
      await expect(page.getByRole('status')).toHaveText('Đã đăng xuất.');
      await page.goto(`/rounds/${slug}`);
      await expect(page).toHaveURL(/\/login\?next=/);
    });
  });
}

test('a leader cannot open the administration pages', async ({ page }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/staff$/);
  const response = await page.goto('/admin/users');
  expect(response.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không có quyền truy cập');
});
