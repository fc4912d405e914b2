// Lighthouse on the public pages for `./scripts/bench` (P11): the mobile
// preset (simulated slow 4G, 4× CPU slowdown) in Debian's Chromium.
//
//   node run.mjs RUNS NAME=URL [NAME=URL …]
//
// Prints one JSON line per page: the run with the median performance score
// of RUNS runs, with its four category scores, LCP, TBT, CLS, the bytes
// transferred and whether a .wasm file was requested.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const [runsArg, ...pages] = process.argv.slice(2);
const runs = Number(runsArg);
if (!Number.isInteger(runs) || runs < 1 || pages.length === 0) {
  console.error('usage: node run.mjs RUNS NAME=URL [NAME=URL …]');
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});

function summary(lhr) {
  const audit = (id) => lhr.audits[id];
  const requests = audit('network-requests')?.details?.items ?? [];
  const problems = Object.values(lhr.categories)
    .filter((c) => c.score !== 1)
    .flatMap((c) => c.auditRefs)
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a && a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative'
      && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable')
    .map((a) => a.id);
  return {
    performance: lhr.categories.performance.score,
    accessibility: lhr.categories.accessibility.score,
    bestPractices: lhr.categories['best-practices'].score,
    seo: lhr.categories.seo.score,
    lcpMs: audit('largest-contentful-paint').numericValue,
    tbtMs: audit('total-blocking-time').numericValue,
    cls: audit('cumulative-layout-shift').numericValue,
    bytes: audit('total-byte-weight').numericValue,
    wasm: requests.some((r) => new URL(r.url).pathname.endsWith('.wasm')),
    problems: [...new Set(problems)],
  };
}

try {
  for (const page of pages) {
    const at = page.indexOf('=');
    const name = page.slice(0, at);
    const url = page.slice(at + 1);
    const results = [];
    for (let i = 0; i < runs; i += 1) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      });
      if (result.lhr.runtimeError) {
        throw new Error(`${name}: ${result.lhr.runtimeError.message}`);
      }
      results.push(summary(result.lhr));
    }
    results.sort((a, b) => a.performance - b.performance);
    const median = results[Math.floor(results.length / 2)];
    console.log(JSON.stringify({ name, url, runs, ...median }));
  }
} finally {
  await chrome.kill();
}
