/**
 * What a person sees: headless Chromium opens the real Jaeger UI (built by
 * `npm run stack:install`, served through ui.assets_path) on the demo's
 * telemetry and checks the RENDERED pages, not the JSON API: the search page
 * for the gateway lists the request traces with both services and their span
 * count; a request trace's page shows both services, the span names
 * (`machcat …`, `du_doan …`, the HTTP spans) and the span count; the
 * model's warm-up trace (LamNongModel) is found from the search page and
 * shows its run events. Then Prometheus's web UI (Debian's package serves the
 * classic UI at /classic/graph) shows the gateway's request counter.
 * Screenshots go to test-artifacts/browser/ (git-ignored); a failing test
 * names its screenshot. Without chromium, the stack binaries or the built UI
 * the suite is skipped with the reason, except in CI (CI=true) where that fails.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { retryOnAddrInUse } from '../support/ports.js';
import { artifactsDir, chromiumPath, launchChromium } from './support/browser.js';
import { demoScrapeTargets, freeDemoPorts, startDemo, tracedPredict, waitDemoReady, type Demo } from './support/demo.js';
import { stackBinaries, startStack, waitFor, type JaegerTrace, type Stack } from './support/stack.js';

const TEXTS = ['Sản phẩm này rất tốt, tôi rất hài lòng', 'Hàng tệ quá, tôi rất thất vọng', 'Hôm nay tôi nhận được hàng'];
const SPANS_PER_REQUEST = 5;
const MACHCAT_SPAN = 'machcat dich-vu-mo-hinh';
const INFERENCE_SPAN = 'du_doan cam_xuc';
const WARMUP_SPAN = 'lam_nong cam_xuc';
/** so_lan_warmup of the demo's model service. */
const WARMUP_RUNS = 5;
const SHOTS = 'browser';

/** Text of every element matching `selector`, trimmed. */
async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** The trace page's header value under `label` ("Services", "Total Spans", ...). */
async function headerValue(page: Page, label: string): Promise<string> {
  const item = page.locator('.TracePageHeader--overviewItems .LabeledList--item').filter({ has: page.locator('.LabeledList--label', { hasText: label }) });
  assert.equal(await item.count(), 1, `the trace header's "${label}" (header: ${JSON.stringify(await texts(page, '.TracePageHeader--overviewItems'))})`);
  return (await item.locator('strong').innerText()).trim();
}

describe('e2e browser: the real Jaeger UI (and Prometheus\'s web UI) render the demo\'s telemetry in headless Chromium', function () {
  this.timeout(180_000);

  let stack: Stack | undefined;
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const traceIds: string[] = [];
  let shots = '';
  let failed = false;

  before(async function () {
    const bins = stackBinaries();
    const chrome = chromiumPath();
    const why = [
      ...(bins.missing.length > 0 ? [`stack binaries missing: ${bins.missing.join(', ')} (run: npm run stack:install)`] : []),
      ...(bins.jaegerUi === undefined ? ['the Jaeger UI is not built (run: npm run stack:install)'] : []),
      ...(chrome === undefined ? ['chromium not found (apt-get install chromium, or set VNAI_CHROMIUM)'] : []),
    ];
    if (why.length > 0) {
      if (process.env.CI === 'true') throw new Error(`e2e browser test cannot run in CI: ${why.join('; ')}`);
      console.warn(`    SKIPPED e2e browser: ${why.join('; ')}`);
      this.skip();
    }
    shots = artifactsDir(SHOTS);
    // The demo's ports are chosen before the stack starts (Prometheus scrapes them); a port
    // taken meanwhile fails the start with EADDRINUSE, and the whole start is tried again.
    const started = await retryOnAddrInUse(async () => {
      const { port, modelPort } = await freeDemoPorts();
      const st = await startStack({ scrapeTargets: demoScrapeTargets(port, modelPort), binaries: bins });
      const d = startDemo({ otlpEndpoint: st.collectorHttpUrl, port, modelPort, logDir: st.workDir, env: { ...process.env, DRAIN_MS: '200' } });
      await waitDemoReady(d).catch(async (e: unknown) => {
        await d.stop();
        await st.stop();
        throw e;
      });
      return { st, d };
    });
    stack = started.st;
    demo = started.d;
    for (const text of TEXTS) {
      const { traceId, response, body } = await tracedPredict(demo.gatewayUrl, text);
      assert.equal(response.status, 200, `POST /predict: HTTP ${response.status}: ${body}`);
      traceIds.push(traceId);
    }
    // Only a readiness wait: every check below reads the rendered pages.
    const s = stack;
    await waitFor(
      async () => {
        const listed = await s.jaegerTraces('vnai-gateway', 100);
        const want = new Set(traceIds);
        return listed.filter((t: JaegerTrace) => want.has(t.traceID) && t.spans.length >= SPANS_PER_REQUEST).length === traceIds.length;
      },
      30_000,
      `the ${traceIds.length} request traces complete in Jaeger`,
    );
    // The warm-up trace is exported on its own schedule: the page is loaded once it is there, as a person would reload.
    await waitFor(
      async () => (await s.jaegerTraces('vnai-model', 100)).some((t: JaegerTrace) => t.spans.some((sp) => sp.operationName === WARMUP_SPAN)),
      30_000,
      `LamNongModel's warm-up trace "${WARMUP_SPAN}" in Jaeger`,
    );
    browser = await launchChromium(chrome as string);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(20_000);
  });

  afterEach(async function () {
    const t = this.currentTest;
    if (t?.state !== 'failed' || page === undefined) return;
    failed = true;
    const file = join(shots, `FAILED-${t.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.warn(`    e2e browser: "${t.title}" failed on ${page.url()}; screenshot: ${file}; all screenshots in ${shots}`);
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
    await stack?.stop();
    if (stack !== undefined) {
      if (failed) console.warn(`    e2e browser: stack logs kept in ${stack.workDir}`);
      else rmSync(stack.workDir, { recursive: true, force: true });
    }
  });

  it('the search page for vnai-gateway lists the request traces, each with both services and its span count', async () => {
    const p = page as Page;
    const s = stack as Stack;
    await p.goto(`${s.jaegerUrl}/search?${new URLSearchParams({ service: 'vnai-gateway', lookback: '1h', limit: '20' })}`);
    await p.locator('.ResultItem').first().waitFor();
    await p.screenshot({ path: join(shots, 'jaeger-search.png'), fullPage: true });
    const items = await texts(p, '.ResultItem');
    for (const id of traceIds) {
      // A result item shows the first 7 hex digits of its trace id.
      const item = items.find((t) => t.includes(id.slice(0, 7)));
      assert.ok(item !== undefined, `no result item for trace ${id} among ${items.length}: ${JSON.stringify(items)}`);
      assert.match(item, new RegExp(`\\b${SPANS_PER_REQUEST} Spans\\b`), item);
      assert.match(item, /vnai-gateway \(\d+\)/, item);
      assert.match(item, /vnai-model \(\d+\)/, item);
    }
  });

  it(`a request trace's page shows both services, ${SPANS_PER_REQUEST} spans: the HTTP spans, "${MACHCAT_SPAN}", "${INFERENCE_SPAN}"`, async () => {
    const p = page as Page;
    const s = stack as Stack;
    const id = traceIds[0] as string;
    await p.goto(`${s.jaegerUrl}/trace/${id}`);
    await p.locator('.span-name-column .endpoint-name', { hasText: INFERENCE_SPAN }).first().waitFor();
    // Down to the last span row: the README's screenshot (docs/jaeger-demo-trace.png) is this one.
    const lastRow = await p.locator('.span-name-column').last().boundingBox();
    const height = Math.ceil((lastRow?.y ?? 880) + (lastRow?.height ?? 20) + 12);
    await p.screenshot({ path: join(shots, 'jaeger-trace.png'), clip: { x: 0, y: 0, width: p.viewportSize()?.width ?? 1440, height } });
    assert.equal(await headerValue(p, 'Total Spans'), String(SPANS_PER_REQUEST));
    assert.equal(await headerValue(p, 'Services'), '2');
    const services = await texts(p, '.span-name-column .span-svc-name');
    const names = await texts(p, '.span-name-column .endpoint-name');
    assert.equal(names.length, SPANS_PER_REQUEST, `span rows: ${JSON.stringify(names)}`);
    assert.deepEqual(new Set(services.map((t) => t.replace(/\s*→.*$/, '').trim())), new Set(['vnai-gateway', 'vnai-model']), JSON.stringify(services));
    assert.equal(names.filter((n) => n === MACHCAT_SPAN).length, 1, JSON.stringify(names));
    assert.equal(names.filter((n) => n === INFERENCE_SPAN).length, 1, JSON.stringify(names));
    // The gateway SERVER, the CLIENT call and the model SERVER: HTTP spans named by method (and route).
    const http = names.filter((n) => n !== MACHCAT_SPAN && n !== INFERENCE_SPAN);
    assert.equal(http.length, 3, JSON.stringify(names));
    for (const n of http) assert.match(n, /^POST( \/predict)?$/, `HTTP span name ${JSON.stringify(n)}`);
  });

  it(`LamNongModel's warm-up trace "${WARMUP_SPAN}" is found from the search page and shows its ${WARMUP_RUNS} run events`, async () => {
    const p = page as Page;
    const s = stack as Stack;
    await p.goto(`${s.jaegerUrl}/search?${new URLSearchParams({ service: 'vnai-model', operation: WARMUP_SPAN, lookback: '1h', limit: '20' })}`);
    const item = p.locator('.ResultItem', { hasText: WARMUP_SPAN }).first();
    await item.waitFor();
    await p.screenshot({ path: join(shots, 'jaeger-warmup-search.png'), fullPage: true });
    await item.locator('.TraceName').click();
    const row = p.locator('.span-name-column', { hasText: WARMUP_SPAN }).first();
    await row.waitFor();
    await row.click(); // opens the span's details: tags, process, logs (the span events)
    const logs = p.locator('.AccordianLogs').first();
    await logs.waitFor();
    const more = logs.getByRole('button', { name: /show more/ });
    if (await more.count() > 0) await more.click();
    await p.screenshot({ path: join(shots, 'jaeger-warmup-trace.png'), fullPage: true });
    const header = (await logs.locator('.AccordianLogs--header').innerText()).trim();
    assert.match(header, new RegExp(`Logs \\(${WARMUP_RUNS}\\)`), header);
    // Each event's summary: its fields as "key=value" items.
    const headers = p.locator('.AccordianLogs--content .AccordianKeyValues--header');
    const events: string[][] = [];
    for (const h of await headers.all()) events.push((await h.locator('.AccordianKeyValues--summaryItem').allInnerTexts()).map((t) => t.replace(/\s+/g, '')));
    const runs = events.filter((f) => f.includes('event=lam_nong.lan_chay'));
    assert.equal(runs.length, WARMUP_RUNS, JSON.stringify(events));
    assert.deepEqual(runs.map((f) => f.find((x) => x.startsWith('lam_nong.lan='))), Array.from({ length: WARMUP_RUNS }, (_, i) => `lam_nong.lan=${i + 1}`), JSON.stringify(runs));
    assert.ok(runs.every((f) => f.includes('lam_nong.ket_qua=ok')), JSON.stringify(runs));
  });

  it('Prometheus\'s classic graph page (Debian\'s package) shows the gateway\'s request counter vnai_gateway_predictions_total', async () => {
    const p = page as Page;
    const s = stack as Stack;
    const expr = 'sum by (job, ket_qua) (vnai_gateway_predictions_total{job="demo-gateway"})';
    // The table tab (g0.tab=1) renders the instant value as text.
    const url = `${s.prometheusUrl}/classic/graph?${new URLSearchParams({ 'g0.expr': expr, 'g0.tab': '1' })}`;
    const sumRow = p.locator('table tbody tr', { hasText: 'ket_qua="ok"' }).first();
    // Prometheus scrapes every second: reload until the last request is counted.
    await waitFor(
      async () => {
        await p.goto(url);
        await sumRow.waitFor({ timeout: 5000 });
        return (await sumRow.innerText()).trim().endsWith(String(TEXTS.length));
      },
      30_000,
      `${expr} = ${TEXTS.length} on ${url}`,
      1000,
    );
    await p.screenshot({ path: join(shots, 'prometheus-console.png'), fullPage: true });
    const row = (await sumRow.innerText()).replace(/\s+/g, ' ').trim();
    assert.match(row, /job="demo-gateway"/, row);
    assert.match(row, new RegExp(`\\b${TEXTS.length}$`), row);
    // The graph tab draws the series: its legend names it.
    await p.goto(`${s.prometheusUrl}/classic/graph?${new URLSearchParams({ 'g0.expr': expr, 'g0.tab': '0', 'g0.range_input': '5m' })}`);
    // A flat line has an empty box, which Playwright calls hidden: attached is the check.
    await p.locator('.graph_area svg path').first().waitFor({ state: 'attached' });
    await p.locator('.legend', { hasText: 'ket_qua="ok"' }).waitFor();
    await p.screenshot({ path: join(shots, 'prometheus-graph.png'), fullPage: true });
  });
});
