// Outgoing webhooks through the running server: an admin adds one on its
// page (keyboard and labels, axe-core), a citizen sends feedback through
// the public form without JavaScript, and a receiving system on loopback
// gets the event from the server's own outbox sender, signed with the
// secret the page showed once and without anything personal. Stopped, the
// webhook gets nothing more.
import { test, expect } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { signIn } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const BASE = process.env.HAILONG_URL ?? 'http://127.0.0.1:3311';
const RUN = Date.now().toString(36);
const ADMIN = { username: `quantri-webhook-${RUN}`, password: 'webhook admin password' };
const SENDER = { name: 'Đặng Quốc Bảo', phone: '0935 777 123' };

test.describe.configure({ mode: 'serial' });

/** A receiving system: records every POST with its headers and body. */
function startReceiver() {
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}/hooks/hailong` }));
  });
}

const sign = (secret, timestamp, body) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

let receiver;

test.beforeAll(async () => {
  execFileSync(
    process.env.HAILONG_BIN,
    ['create-user', '--username', ADMIN.username, '--role', 'admin', '--name', 'Quản trị tích hợp'],
    { input: `${ADMIN.password}\n`, encoding: 'utf8' },
  );
  receiver = await startReceiver();
});

test.afterAll(async () => {
  receiver?.server.close();
});

test('an admin adds a webhook and the server delivers a signed feedback event to it', async ({ browser }) => {
  const adminContext = await browser.newContext({ baseURL: BASE, bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const admin = await adminContext.newPage();
  await signIn(admin, '/admin/webhooks', ADMIN);
  await expect(admin).toHaveURL(/\/admin\/webhooks/);
  await admin.addScriptTag({ path: AXE });
  const audit = await admin.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  const serious = audit.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // A missing event is named next to its box; what was typed stays.
  await admin.getByLabel('Tên', { exact: true }).fill(`Cổng dịch vụ công tỉnh ${RUN}`);
  await admin.getByLabel('Địa chỉ nhận (https://…)').fill(`${receiver.url}?api_key=khoa-rieng`);
  await admin.getByRole('button', { name: 'Thêm webhook' }).click();
  await expect(admin.locator('#webhook-events-error')).toBeVisible();
  await expect(admin.getByLabel('Tên', { exact: true })).toHaveValue(`Cổng dịch vụ công tỉnh ${RUN}`);

  await admin.getByLabel('Phản ánh, kiến nghị được ghi nhận').check();
  await admin.getByRole('button', { name: 'Thêm webhook' }).click();
  await expect(admin.getByRole('status').first()).toHaveText('Đã thêm webhook.');
  const secret = (await admin.getByTestId('new-webhook-secret').textContent()).trim();
  expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
  const row = admin.locator('tr', { hasText: `Cổng dịch vụ công tỉnh ${RUN}` });
  await expect(row).toContainText(receiver.url);
  await expect(row).not.toContainText('khoa-rieng');

  // A citizen sends feedback, without JavaScript.
  const citizenContext = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false });
  const citizen = await citizenContext.newPage();
  await citizen.goto('/feedback');
  await citizen.locator('#fb-content').fill('Đề nghị bố trí thêm ghế chờ tại Bộ phận Một cửa vào buổi sáng.');
  await citizen.locator('#fb-sender-name').fill(SENDER.name);
  await citizen.locator('#fb-sender-phone').fill(SENDER.phone);
  await citizen.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(citizen).toHaveURL(/\/feedback\/track\?code=PA-/);
  const code = (await citizen.getByTestId('tracking-code').textContent()).trim();

  // The server's own sender delivers it within seconds.
  const ours = () =>
    receiver.received.filter((r) => {
      try {
        return JSON.parse(r.body).data.tracking_code === code;
      } catch {
        return false;
      }
    });
  await expect.poll(() => ours().length, { timeout: 30_000 }).toBe(1);
  const [delivery] = ours();
  expect(delivery.headers['x-hailong-event']).toBe('feedback.recorded');
  expect(delivery.headers['x-hailong-delivery']).toMatch(/^hailong-outbox-\d+$/);
  const timestamp = delivery.headers['x-hailong-timestamp'];
  expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(120);
  expect(delivery.headers['x-hailong-signature']).toBe(sign(secret, timestamp, delivery.body));
  expect(delivery.headers['x-hailong-signature']).not.toBe(sign('whsec_wrong', timestamp, delivery.body));
  const event = JSON.parse(delivery.body);
  expect(event.event).toBe('feedback.recorded');
  expect(event.data.channel).toBe('web');
  for (const personal of [SENDER.name, '0935', 'ghế chờ']) {
    expect(delivery.body).not.toContain(personal);
  }

  // Stopped, it gets nothing more.
  await admin.reload();
  await row.getByRole('button', { name: 'Ngừng gửi' }).click();
  await expect(admin.getByRole('status').first()).toContainText('Đã ngừng webhook');
  await expect(admin.locator('tr', { hasText: `Cổng dịch vụ công tỉnh ${RUN}` })).toContainText('Đã ngừng');
  const before = receiver.received.length;
  await citizen.goto('/feedback');
  await citizen.locator('#fb-content').fill('Đề nghị kéo dài giờ tiếp nhận hồ sơ vào chiều thứ Sáu.');
  await citizen.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(citizen).toHaveURL(/\/feedback\/track\?code=PA-/);
  await citizen.waitForTimeout(8_000);
  expect(receiver.received.length).toBe(before);
  await citizenContext.close();
  await adminContext.close();
});
