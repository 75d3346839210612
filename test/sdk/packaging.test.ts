/**
 * The package as users load it: the built `dist/` through the package name
 * (self-reference), from ESM with `--import vietnamese-ai-otel/register` and
 * from CommonJS with `require()`. `npm test` builds first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { MayNhanOtlp, thuoc_tinh, type BanGhi } from '../support/otlp.js';

const chay = promisify(execFile);
const goc = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('package: register entry and CommonJS require', function () {
  before(function () {
    if (!existsSync(join(goc, 'dist', 'src', 'register.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    }
  });

  it('`node --import vietnamese-ai-otel/register` starts the SDK from OTEL_* alone and delivers on exit', async () => {
    const nhan = new MayNhanOtlp();
    const url = await nhan.bat_dau();
    try {
      const { stderr } = await chay(process.execPath, ['--import', 'vietnamese-ai-otel/register', join(goc, 'test', 'fixtures', 'register-app.mjs')], {
        cwd: goc,
        timeout: 30_000,
        env: {
          ...process.env,
          OTEL_SERVICE_NAME: 'register-app',
          OTEL_EXPORTER_OTLP_ENDPOINT: url,
          OTEL_METRICS_EXPORTER: 'otlp',
          OTEL_BSP_SCHEDULE_DELAY: '60000',
        },
      });
      assert.doesNotMatch(stderr, /Error/);
      const spans = nhan.spans();
      const ten = spans.map((s) => s.name as string).sort();
      // The app's own span, the HTTP client span and the HTTP server span: one trace.
      assert.ok(ten.includes('goi-ra-ngoai'), `spans: ${ten.join(', ')}`);
      assert.ok(spans.some((s) => s.kind === 2), 'a SERVER span from the http instrumentation');
      assert.ok(spans.some((s) => s.kind === 3), 'a CLIENT span from the http instrumentation');
      assert.equal(spans.length, 3, `no span for the exporters' own requests: ${ten.join(', ')}`);
      assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, 'client and server joined one trace via W3C traceparent');
      const rs = (nhan.cua('/v1/traces')[0]!.resourceSpans as BanGhi[])[0]!;
      assert.equal(thuoc_tinh((rs.resource as BanGhi).attributes, 'service.name'), 'register-app');
      const logs = nhan.logs();
      assert.equal(logs.length, 1);
      assert.equal(logs[0]!.traceId, spans[0]!.traceId, 'the log record is correlated with the request trace');
      assert.ok(nhan.metrics().length > 0, 'metrics pushed at shutdown');
    } finally {
      await nhan.dung();
    }
  });

  /** Runs the ESM express fixture preloaded with `preload`; the spans the receiver got. */
  async function chayExpressEsm(preload: string): Promise<BanGhi[]> {
    const nhan = new MayNhanOtlp();
    const url = await nhan.bat_dau();
    try {
      const { stderr } = await chay(process.execPath, ['--import', preload, join(goc, 'test', 'fixtures', 'esm-express', 'app.mjs')], {
        cwd: goc,
        timeout: 30_000,
        env: { ...process.env, OTEL_SERVICE_NAME: 'esm-express', OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
      });
      assert.doesNotMatch(stderr, /Error/, stderr);
      return nhan.spans();
    } finally {
      await nhan.dung();
    }
  }
  const scope = (ds: BanGhi[]) => ds.filter((s) => /request handler/.test(String(s.name))).map((s) => String(s.name));

  it('`--import vietnamese-ai-otel/register` installs the ESM loader hook: an ESM app that adds instrumentation-express itself gets express spans', async () => {
    const spans = await chayExpressEsm('vietnamese-ai-otel/register');
    assert.deepEqual(scope(spans), ['request handler'], `spans: ${spans.map((s) => s.name).join(', ')}`);
    const server = spans.find((s) => s.kind === 2);
    assert.equal(server?.name, 'GET /xin-chao/:ten', 'express sets http.route, which names the SERVER span');
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 1);
  });

  it('control: the same app with the SDK started but without the hook gets no express spans', async () => {
    const spans = await chayExpressEsm(pathToFileURL(join(goc, 'test', 'fixtures', 'esm-express', 'khoi-dong-only.mjs')).href);
    assert.ok(spans.some((s) => s.kind === 2), 'the SDK ran (an HTTP SERVER span)');
    assert.deepEqual(scope(spans), []);
  });

  it('bad OTEL_* variables never stop the app: it runs to its end, exit 0, one warning per bad variable naming it (issue #17, Done when)', async () => {
    const bad = { OTEL_TRACES_EXPORTER: 'nope', OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon', OTEL_TRACES_SAMPLER_ARG: 'abc', OTEL_EXPORTER_OTLP_HEADERS: 'garbage' };
    const { stdout, stderr } = await chay(process.execPath, ['--import', 'vietnamese-ai-otel/register', join(goc, 'test', 'fixtures', 'app-to-end.mjs')], {
      cwd: goc,
      timeout: 30_000,
      env: { ...process.env, ...bad },
    });
    // execFile rejects on a non-zero exit, so reaching here means exit 0.
    assert.deepEqual(stdout.trim().split('\n'), ['app: bat dau', 'app: het']);
    const dong = stderr.split('\n').filter((l) => l.trim() !== '');
    for (const [bien, v] of Object.entries(bad)) {
      const cua = dong.filter((l) => l.includes(`${bien}=`));
      assert.equal(cua.length, 1, `one warning for ${bien}:\n${stderr}`);
      assert.ok(cua[0]!.includes(JSON.stringify(v)) && /using the default/.test(cua[0]!), cua[0]);
    }
    assert.equal(dong.length, Object.keys(bad).length, `nothing else on stderr:\n${stderr}`);
  });

  it('OTEL_LOG_LEVEL: none silences even configuration warnings; an unknown level is itself one warning naming OTEL_LOG_LEVEL', async () => {
    const chayVoi = (env: Record<string, string>) =>
      chay(process.execPath, ['--import', 'vietnamese-ai-otel/register', join(goc, 'test', 'fixtures', 'app-to-end.mjs')], { cwd: goc, timeout: 30_000, env: { ...process.env, ...env } });
    assert.equal((await chayVoi({ OTEL_LOG_LEVEL: 'none', OTEL_TRACES_EXPORTER: 'nope' })).stderr, '');
    const { stderr } = await chayVoi({ OTEL_LOG_LEVEL: 'loud' });
    assert.equal(stderr.split('\n').filter((l) => l.includes('OTEL_LOG_LEVEL=')).length, 1, stderr);
    assert.match(stderr, /OTEL_LOG_LEVEL="loud" is invalid .*using the default "info"/);
  });

  it('register after another SDK was registered: it says why it did not start, and the app runs to its end with exit 0', async () => {
    const { stdout, stderr } = await chay(
      process.execPath,
      ['--import', join(goc, 'test', 'fixtures', 'nodesdk-first.mjs'), '--import', 'vietnamese-ai-otel/register', join(goc, 'test', 'fixtures', 'app-to-end.mjs')],
      { cwd: goc, timeout: 30_000 },
    );
    assert.match(stdout, /app: bat dau[\s\S]*app: het/);
    assert.match(stdout, /name: 'cong-viec'/, 'the span went to the SDK registered first');
    assert.match(stderr, /vietnamese-ai-otel\/register: the SDK was not started: khoi_dong_sdk: another OpenTelemetry SDK is already registered .*tao_metric_producer\(\)/);
  });

  it('a CommonJS user can require() the package and its subpaths on Node 22.12+', async () => {
    const ma = `
      const m = require('vietnamese-ai-otel');
      const kinds = ['khoi_dong_sdk', 'LoiCauHinh', 'dang_ky_exporter'].map((k) => typeof m[k]);
      const sdk = m.khoi_dong_sdk({ http: false });
      sdk.tat().then(() => {
        const e = require('vietnamese-ai-otel/exporters');
        const i = require('vietnamese-ai-otel/instrumentation');
        const facades = ['KiemTraSucKhoe', 'MachCat', 'LoggerCauTruc', 'QuanLyMetrics', 'LamNongModel'].map((k) => typeof m[k]);
        console.log(JSON.stringify({ kinds, facades, exporters: typeof e.dang_ky_exporter, instrumentation: typeof i.boc_xu_ly_http }));
      });
    `;
    const { stdout } = await chay(process.execPath, ['-e', ma], { cwd: goc, timeout: 30_000 });
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').pop()!), { kinds: ['function', 'function', 'function'], facades: ['function', 'function', 'function', 'function', 'function'], exporters: 'function', instrumentation: 'function' });
  });
});
