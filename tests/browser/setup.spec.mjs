// An agency that starts from nothing, through the pages only: a second
// server on an empty database (scripts/test starts it at HAILONG_EMPTY_URL).
// The first admin is created on the command line as the home page says; the
// admin then sets up the profile, two departments, three procedures (one by
// catalogue import), the holidays of the year Tết falls in next, a staff
// account and a scheduled round. The round opens at its time with nobody
// acting, a respondent fills it, and a feedback item's deadline skips Tết.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { REQUIRED, answer, fillProfile } from './helpers.mjs';

const BASE = process.env.HAILONG_EMPTY_URL;
const ADMIN = { username: 'quantri', password: 'admin test password' };

/** yyyy-mm-dd of a Date, in UTC. */
const isoDay = (date) => date.toISOString().slice(0, 10);
const addDays = (day, n) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));
const weekend = (day) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
/** Today in Vietnam (UTC+7). */
const vietnamToday = () => isoDay(new Date(Date.now() + 7 * 3_600_000));

/** Working days after `from` up to and including `to`. */
function workingDaysBetween(from, to, calendar) {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    if (isWorkingDay(day, calendar)) count += 1;
  }
  return count;
}
function isWorkingDay(day, calendar) {
  return calendar.workdays.has(day) || (!weekend(day) && !calendar.daysOff.has(day));
}
function addWorkingDays(from, n, calendar) {
  let day = from;
  while (n > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) n -= 1;
  }
  return day;
}
/** dd/mm/yyyy as the pages write dates. */
const shown = (day) => day.split('-').reverse().join('/');

async function signIn(page) {
  await page.goto(`${BASE}/login?next=/admin/setup`);
  await page.getByLabel('Tên đăng nhập').fill(ADMIN.username);
  await page.getByLabel('Mật khẩu').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(/\/admin\/setup/);
}

async function saveEntry(page, kind, fields) {
  const form = `#catalogue-${kind}`;
  await page.goto(`${BASE}/admin/catalogue`);
  await page.locator(`${form} details > summary`).click();
  await page.locator(`${form}-code`).fill(fields.code);
  await page.locator(`${form}-name_vi`).fill(fields.name);
  if (fields.department) {
    await page.locator(`${form}-department`).selectOption(fields.department);
  }
  await page.locator(`${form} form button[type=submit]`).first().click();
  await expect(page.locator(`#catalogue-${kind}-table tr[data-code="${fields.code}"]`)).toBeVisible();
}

test('a new agency sets itself up through the pages and its first round runs by its schedule', async ({ browser }) => {
  test.skip(!BASE, 'needs the empty server that scripts/test starts');
  test.setTimeout(240_000);
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();

  // An empty database: the home page explains the first admin.
  await page.goto(`${BASE}/`);
  await expect(page.locator('#first-admin')).toBeVisible();
  await expect(page.locator('#first-admin code')).toContainText('hailong create-user');
  execFileSync(process.env.HAILONG_BIN, ['create-user', '--username', ADMIN.username, '--role', 'admin', '--name', 'Quản trị viên'], {
    input: `${ADMIN.password}\n`,
    env: { ...process.env, DATABASE_URL: process.env.HAILONG_EMPTY_DATABASE_URL },
  });
  await page.reload();
  await expect(page.locator('#first-admin')).toHaveCount(0);

  await signIn(page);
  await expect(page.locator('.setup-step[data-done="false"]')).toHaveCount(6);

  // The profile.
  await page.goto(`${BASE}/admin/profile`);
  await page.locator('#profile-name_vi').fill('Ban Quản lý các Khu kinh tế tỉnh Quảng Nam');
  await page.locator('#profile-name_en').fill('Quang Nam Economic Zones Authority');
  await page.locator('#profile-phone').fill('0235 3800 800');
  await page.locator('#profile-email').fill('bqlkkt@example.gov.vn');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.locator('.notice')).toContainText('Đã lưu thông tin cơ quan');

  // Two departments and two procedures by hand, a third by file.
  await saveEntry(page, 'department', { code: 'QLDN', name: 'Phòng Quản lý doanh nghiệp' });
  await saveEntry(page, 'department', { code: 'QLDT', name: 'Phòng Quản lý đầu tư' });
  await saveEntry(page, 'procedure', { code: '1.001234', name: 'Cấp giấy phép lao động', department: 'QLDN' });
  await saveEntry(page, 'procedure', { code: '2.000123', name: 'Cấp Giấy chứng nhận đăng ký đầu tư', department: 'QLDT' });
  await page.goto(`${BASE}/admin/catalogue#import`);
  await page.locator('#catalogue-file').setInputFiles({
    name: 'danh-muc.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('kind,code,name_vi,name_en,field,department,active\nprocedure,3.000001,Xác nhận hợp đồng lao động,,Lao động,QLDN,1\n'),
  });
  await page.getByRole('button', { name: 'Nhập tệp' }).click();
  await expect(page.locator('[data-testid="catalogue-import-outcome"]')).toHaveAttribute('data-applied', 'true');
  await expect(page.locator('#catalogue-procedure-table tbody tr')).toHaveCount(3);

  // The holidays of the year of the coming (or, from February to October,
  // the last) Tết, computed for Vietnam's time zone.
  const today = vietnamToday();
  const year = Number(today.slice(0, 4)) + (today.slice(5, 7) >= '11' ? 1 : 0);
  await page.goto(`${BASE}/admin/feedback-settings`);
  await page.locator('#holiday-year').fill(String(year));
  await page.getByRole('button', { name: 'Thêm ngày nghỉ lễ của năm' }).click();
  const rows = await page.locator('#holiday-table tbody tr').evaluateAll((trs) =>
    trs.map((r) => [r.getAttribute('data-day'), r.textContent.includes('làm việc bù')]));
  const calendar = {
    daysOff: new Set(rows.filter(([, work]) => !work).map(([day]) => day)),
    workdays: new Set(rows.filter(([, work]) => work).map(([day]) => day)),
  };
  // Tết: the days off of January and February after New Year's Day.
  const tet = [...calendar.daysOff]
    .filter((d) => d > `${year}-01-02` && d < `${year}-03-01`)
    .sort();
  expect(tet.length).toBeGreaterThanOrEqual(5);
  if (year === 2027) {
    // Tết Đinh Mùi: the first day of the lunar year is Saturday 6 February 2027.
    expect(tet).toContain('2027-02-06');
  }

  // A staff account.
  await page.goto(`${BASE}/admin/users`);
  await page.locator('#new-username').fill('motcua');
  await page.locator('#new-display-name').fill('Cán bộ Một cửa');
  await page.locator('#new-role').selectOption('staff');
  await page.locator('input[name="departments[QLDN]"]').first().check();
  await page.locator('#new-password').fill('staff password of the test');
  await page.locator('#new-password').press('Enter');
  await expect(page.locator('body')).toContainText('motcua');

  // A round that opens at the next whole minute (forms take minutes).
  const now = new Date(Date.now() + 7 * 3_600_000);
  // At least 30 s ahead, so that it is still ahead when the round is opened.
  const opens = new Date(Math.ceil((now.getTime() + 30_000) / 60_000) * 60_000);
  const local = (d) => d.toISOString().slice(0, 16);
  await page.goto(`${BASE}/rounds`);
  await page.locator('details.card > summary').first().click();
  await page.locator('#round-create-slug').fill('ks-dau-tien');
  await page.locator('#round-create-title_vi').fill('Khảo sát sự hài lòng đầu tiên');
  await page.locator('#round-create-opens_at').fill(local(opens));
  await page.locator('#round-create-closes_at').fill(local(new Date(opens.getTime() + 30 * 86_400_000)));
  await page.locator('#round-create-closes_at').press('Enter');
  await expect(page).toHaveURL(/\/rounds\/ks-dau-tien\/manage/);
  await page.getByRole('button', { name: 'Mở đợt khảo sát' }).click();
  await expect(page.locator('body')).toContainText('Đã lên lịch');

  await page.goto(`${BASE}/admin/setup`);
  await expect(page.locator('.setup-step[data-done="true"]')).toHaveCount(6);

  // Nobody acts: the round opens at its time, on the public home page.
  const visitor = await browser.newContext({ baseURL: BASE });
  const respondent = await visitor.newPage();
  await expect
    .poll(async () => {
      await respondent.goto(`${BASE}/`);
      return respondent.locator('a[href^="/s/ks-dau-tien"]').count();
    }, { timeout: 120_000, intervals: [5_000] })
    .toBe(1);
  await respondent.locator('a[href^="/s/ks-dau-tien"]').click();
  await fillProfile(respondent);
  await answer(respondent, Object.fromEntries(REQUIRED.map((code) => [code, '4'])));
  await respondent.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
  await expect(respondent.locator('[data-testid="receipt-code"]')).toBeVisible();

  // A feedback item whose first deadline meets Tết lands on the first
  // working day after it. Before Tết, the classification deadline is set
  // to reach it; after it, the item is a letter received the day before.
  const tetStart = tet[0];
  const tetEnd = tet[tet.length - 1];
  await page.goto(`${BASE}/admin/feedback-settings`);
  let from = today;
  let days = Number(await page.locator('#deadline-classify').inputValue());
  if (tetStart > today) {
    days = workingDaysBetween(today, addDays(tetStart, -1), calendar) + 1;
    expect(days).toBeLessThanOrEqual(90);
    await page.locator('#deadline-classify').fill(String(days));
    await page.locator('#deadline-classify').press('Enter');
    await expect(page.locator('#deadline-classify')).toHaveValue(String(days));
  } else {
    from = addDays(tetStart, -1);
  }
  await page.goto(`${BASE}/feedback/items/new`);
  if (from !== today) {
    await page.locator('#rec-received-at').fill(`${from}T09:00`);
  }
  await page.locator('#rec-content').fill('Doanh nghiệp hỏi về thời hạn cấp giấy phép lao động.');
  await page.getByRole('button', { name: 'Ghi nhận' }).click();
  const expected = addWorkingDays(from, days, calendar);
  expect(expected > tetEnd).toBe(true);
  // Counting weekends only, the deadline would fall inside Tết.
  expect(addWorkingDays(from, days, { daysOff: new Set(), workdays: new Set() }) <= tetEnd).toBe(true);
  await expect(page.locator('[data-testid="item-facts"]')).toContainText(shown(expected));
  await context.close();
  await visitor.close();
});
