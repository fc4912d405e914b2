// The message-template editor in Chromium, JavaScript on and off: an admin
// reaches it from the list, a name the message does not have is said next
// to its field with what was typed kept, the preview renders made-up data,
// and a saved version is in use on the list (keyboard and labels, axe-core).
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { signIn } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const BASE = process.env.HAILONG_URL ?? 'http://127.0.0.1:3311';
const RUN = Date.now().toString(36);
const ADMIN = { username: `quantri-mau-${RUN}`, password: 'template admin password' };

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  execFileSync(
    process.env.HAILONG_BIN,
    ['create-user', '--username', ADMIN.username, '--role', 'admin', '--name', 'Quản trị mẫu thư'],
    { input: `${ADMIN.password}\n`, encoding: 'utf8' },
  );
});

for (const javaScriptEnabled of [true, false]) {
  test(`an admin previews and saves the leaders' digest in English, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async ({ browser }) => {
    const context = await browser.newContext({ baseURL: BASE, bypassCSP: true, javaScriptEnabled, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, '/admin/messages', ADMIN);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mẫu thư và tin nhắn');
    const row = page.getByTestId('template-leaders-digest-en');
    await row.getByRole('link', { name: 'Sửa' }).click();
    await expect(page).toHaveURL(/\/admin\/messages\/leaders-digest\/en$/);
    if (javaScriptEnabled) {
      await page.addScriptTag({ path: AXE });
      const audit = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
      const serious = audit.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
      expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    }

    const subject = page.getByLabel('Tiêu đề thư');
    await subject.fill(`{{ agency }} — week {{ week }} for {{ minister }} ${RUN}`);
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect(page.locator('#template-subject-error')).toContainText('{{ minister }}');
    await expect(subject).toHaveValue(`{{ agency }} — week {{ week }} for {{ minister }} ${RUN}`);
    await expect(subject).toHaveAttribute('aria-invalid', 'true');

    await subject.fill(`{{ agency }} — week {{ week }} ${RUN}`);
    await subject.press('Enter');
    await expect(page.getByTestId('preview-subject')).toHaveText(`Ban Quản lý các Khu kinh tế — week 2026-W49 ${RUN}`);
    await expect(page.getByTestId('preview-body').locator('li').first()).toContainText('1,234 responses');
    await expect(page.getByTestId('preview-sms-length')).toContainText('1 tin');

    await page.getByRole('button', { name: 'Lưu phiên bản mới' }).click();
    await expect(page.getByRole('status').first()).toContainText('Đã lưu phiên bản mới');
    await page.getByRole('link', { name: 'Tất cả các mẫu' }).click();
    await expect(page.getByTestId('template-leaders-digest-en')).toContainText('Phiên bản');
    await context.close();
  });
}
