/**
 * The package as a new user gets it: `npm pack`, then `npm install` of the
 * tarball into a fresh consumer project next to the latest
 * @opentelemetry/sdk-node and @opentelemetry/auto-instrumentations-node (the
 * usual company of an OTel app), with neither express nor fastify. One
 * consumer directory serves every case. Checks: ESM and CommonJS loading,
 * TypeScript strict `nodenext` with `skipLibCheck: false`, source maps with
 * their sources, and one copy of the OpenTelemetry API and SDK packages
 * shared by this package and the user's SDK.
 *
 * Needs the npm registry (npm's cache makes reruns fast); skipped, with the
 * reason printed, when it cannot be reached.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const chay = promisify(execFile);
const goc = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = (args: string[], cwd: string, timeout: number) => chay('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, timeout, maxBuffer: 64 << 20 });

/** The OTel packages that must exist once (their state is process-global). */
const MOT_BAN = ['@opentelemetry/api', '@opentelemetry/sdk-metrics', '@opentelemetry/sdk-trace', '@opentelemetry/sdk-logs'];

describe('package: packed and installed in a fresh consumer (npm pack + npm install)', function () {
  this.timeout(60_000);
  let thu_muc = '';

  before(async function () {
    this.timeout(400_000);
    if (!existsSync(join(goc, 'dist', 'src', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    try {
      await npm(['view', '@opentelemetry/sdk-node', 'version'], goc, 20_000);
    } catch (e) {
      console.warn(`    SKIPPED packed-consumer tests: the npm registry cannot be reached (${(e as Error).message.split('\n')[0]})`);
      this.skip();
    }
    thu_muc = mkdtempSync(join(tmpdir(), 'vnai-consumer-'));
    const { stdout } = await npm(['pack', '--json', '--pack-destination', thu_muc], goc, 60_000);
    const tarball = join(thu_muc, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
    writeFileSync(join(thu_muc, 'package.json'), JSON.stringify({ name: 'vnai-consumer', version: '1.0.0', private: true }));
    await npm(
      ['install', '--prefer-offline', '--ignore-scripts', tarball, '@types/node@24', '@opentelemetry/sdk-node@latest', '@opentelemetry/auto-instrumentations-node@latest'],
      thu_muc,
      360_000,
    );
  });

  after(() => {
    if (thu_muc !== '') rmSync(thu_muc, { recursive: true, force: true });
  });

  it('installs without express or fastify (optional peers stay optional)', () => {
    for (const p of ['express', 'fastify', '@types/express']) assert.equal(existsSync(join(thu_muc, 'node_modules', p)), false, `${p} was installed`);
  });

  it('ESM: imports every entry, starts the SDK, and global fetch makes a CLIENT span with traceparent sent', async () => {
    writeFileSync(
      join(thu_muc, 'esm.mjs'),
      `import http from 'node:http';
      import { khoi_dong_sdk, tao_metric_producer, MachCat } from 'vietnamese-ai-otel';
      import { boc_xu_ly_http } from 'vietnamese-ai-otel/instrumentation';
      import { dang_ky_exporter } from 'vietnamese-ai-otel/exporters';
      const sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none' });
      let nhan;
      const server = http.createServer((req, res) => { nhan = req.headers.traceparent; res.end('ok'); });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      await (await fetch('http://127.0.0.1:' + server.address().port + '/')).text();
      server.close();
      await sdk.flush();
      const client = sdk.exporters.traces[0].lay_spans().filter((s) => s.instrumentationScope.name === 'vietnamese-ai-otel/http-tracing/undici');
      await sdk.tat();
      console.log(JSON.stringify({
        kinds: [typeof tao_metric_producer().collect, typeof MachCat, typeof boc_xu_ly_http, typeof dang_ky_exporter],
        client: client.length,
        propagated: nhan === '00-' + client[0]?.spanContext().traceId + '-' + client[0]?.spanContext().spanId + '-01',
      }));`,
    );
    const { stdout } = await chay(process.execPath, ['esm.mjs'], { cwd: thu_muc, timeout: 30_000 });
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').pop()!), { kinds: ['function', 'function', 'function', 'function'], client: 1, propagated: true });
  });

  it('ESM: `--import vietnamese-ai-otel/register` starts the SDK, and the loader hook it registers resolves from the installed package', async () => {
    writeFileSync(
      join(thu_muc, 'register-app.mjs'),
      `import { trace } from '@opentelemetry/api';
      import { sdk_hien_tai } from 'vietnamese-ai-otel';
      const span = trace.getTracer('app').startSpan('x');
      console.log(JSON.stringify({ sdk: sdk_hien_tai() !== undefined, recording: span.isRecording() }));
      span.end();`,
    );
    const { stdout, stderr } = await chay(process.execPath, ['--import', 'vietnamese-ai-otel/register', 'register-app.mjs'], { cwd: thu_muc, timeout: 30_000 });
    assert.doesNotMatch(stderr, /Error/, stderr);
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').pop()!), { sdk: true, recording: true });
  });

  it('CommonJS: require() of the package and its subpaths', async () => {
    writeFileSync(
      join(thu_muc, 'cjs.cjs'),
      `const m = require('vietnamese-ai-otel');
      const i = require('vietnamese-ai-otel/instrumentation');
      const e = require('vietnamese-ai-otel/exporters');
      const sdk = m.khoi_dong_sdk({ http: false, undici: false, metrics_exporter: 'none' });
      sdk.tat().then(() => console.log(JSON.stringify([typeof m.LoggerCauTruc, typeof m.tao_metric_producer, typeof i.gan_express, typeof e.dang_ky_exporter])));`,
    );
    const { stdout } = await chay(process.execPath, ['cjs.cjs'], { cwd: thu_muc, timeout: 30_000 });
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').pop()!), ['function', 'function', 'function', 'function']);
  });

  it('TypeScript strict nodenext, skipLibCheck false, node:http only: the declarations compile, tao_metric_producer() needs no cast, a cap_do typo does not compile', async () => {
    writeFileSync(
      join(thu_muc, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', skipLibCheck: false, noEmit: true, types: ['node'] },
        files: ['app.mts', 'app.cts'],
      }),
    );
    writeFileSync(
      join(thu_muc, 'app.mts'),
      `import { createServer } from 'node:http';
      // sdk-metrics: the copy npm shares between sdk-node and this package.
      import { PeriodicExportingMetricReader, ConsoleMetricExporter } from '@opentelemetry/sdk-metrics';
      import { khoi_dong_sdk, tao_metric_producer, LoggerCauTruc, MachCat, type TenCapDo } from 'vietnamese-ai-otel';
      import { boc_xu_ly_http, dang_ky_tat_an_toan } from 'vietnamese-ai-otel/instrumentation';
      import type { DauRaMetric } from 'vietnamese-ai-otel/exporters';
      const reader = new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), metricProducers: [tao_metric_producer()] });
      const sdk = khoi_dong_sdk({ ten_dich_vu: 'ts', undici: { requireParentforSpans: true } });
      const muc: TenCapDo = 'warning';
      const logger = new LoggerCauTruc({ ten: 'ts', cap_do: muc });
      logger.dat_cap_do('DEBUG');
      // @ts-expect-error a typo in a level name does not compile
      new LoggerCauTruc({ cap_do: 'INFOO' });
      const mach = new MachCat({ ten: 'm' });
      const server = createServer(boc_xu_ly_http((_req, res) => { void mach.thuc_hien(async () => 1).then(() => res.end('ok')); }, { logger }));
      dang_ky_tat_an_toan({ server, sdk });
      const out: DauRaMetric[] = [];
      export { reader, out };`,
    );
    writeFileSync(
      join(thu_muc, 'app.cts'),
      `import v = require('vietnamese-ai-otel');
      import i = require('vietnamese-ai-otel/instrumentation');
      export const sdk: v.SdkDangChay | undefined = v.khoi_dong_sdk({ http: false });
      export const h: typeof i.boc_xu_ly_http = i.boc_xu_ly_http;`,
    );
    const tsc = join(goc, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await chay(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: thu_muc, timeout: 120_000 }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    assert.equal(r, '', r);
  });

  it('source maps ship with their sources (sourcesContent)', () => {
    const dist = join(thu_muc, 'node_modules', 'vietnamese-ai-otel', 'dist');
    const maps = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js.map'));
    assert.ok(maps.length > 50, `${maps.length} maps`);
    for (const f of maps) {
      const m = JSON.parse(readFileSync(join(dist, f), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      assert.equal(m.sourcesContent?.filter((x) => typeof x === 'string' && x.length > 0).length, m.sources.length, `${f}: sourcesContent`);
    }
  });

  it('one copy of @opentelemetry/api, sdk-metrics, sdk-trace, sdk-logs for this package and the user sdk-node (npm ls)', async () => {
    const ban: Record<string, Set<string>> = {};
    const duyet = (node: { version?: string; path?: string; dependencies?: Record<string, unknown> }, ten: string) => {
      if (MOT_BAN.includes(ten) && node.path !== undefined) (ban[ten] ??= new Set()).add(`${node.version} ${node.path.slice(thu_muc.length)}`);
      for (const [k, v] of Object.entries(node.dependencies ?? {})) duyet(v as typeof node, k);
    };
    const { stdout } = await npm(['ls', '--all', '--long', '--json'], thu_muc, 60_000).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '{}' }));
    duyet(JSON.parse(stdout) as Parameters<typeof duyet>[0], '');
    const o = (p: string) => join(thu_muc, 'node_modules', p);
    // What each package actually loads, resolved from where it is installed.
    const tu = (goi: string, p: string) => {
      const f = realpathSync(createRequire(join(o(goi), 'package.json')).resolve(p));
      return f.slice(0, f.lastIndexOf(`/node_modules/${p}/`) + `/node_modules/${p}`.length);
    };
    for (const p of MOT_BAN) {
      assert.equal(tu('vietnamese-ai-otel', p), tu('@opentelemetry/sdk-node', p), `${p}: this package and the user's sdk-node load the same copy`);
      const copies = [...(ban[p] ?? [])];
      assert.ok(copies.length >= 1, `${p} in npm ls`);
      assert.ok(!copies.some((c) => c.includes('vietnamese-ai-otel/node_modules')), `${p}: no private copy under this package: ${copies.join('; ')}`);
      // auto-instrumentations-node pins an older sdk-node of its own; any other copy may only come from there.
      const khac = copies.filter((c) => !c.endsWith(` /node_modules/${p}`));
      assert.ok(khac.every((c) => c.includes('/auto-instrumentations-node/node_modules/')), `${p}: unexpected copies: ${khac.join('; ')}`);
      if (p === '@opentelemetry/api') assert.equal(copies.length, 1, `api: ${copies.join('; ')}`);
    }
  });
});
