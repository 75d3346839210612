/**
 * The house's layout holds: no import cycle, imports point one way (core <-
 * exporters <- pipeline <- facades <- sdk <- instrumentation), and every
 * entry point works when it is the only thing a fresh process imports (no
 * import-order trap: a facade alone must not need the SDK module loaded).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

/** Every .ts file under the source folders, as a path relative to the root. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const p = posix.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  for (const d of ['src', 'exporters', 'instrumentation']) walk(d);
  return out.sort();
}

/** Relative imports of a file (values and types alike, re-exports included), resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*'(\.{1,2}\/[^']+)'|(?:^|\n)\s*import\s*'(\.{1,2}\/[^']+)'|import\('(\.{1,2}\/[^']+)'\)/g)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    out.push(posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** The layer of a file: a file may import only from its own layer or below. */
function layerOf(file: string): { layer: number; name: string } {
  const [top, sub] = file.split('/');
  if (top === 'exporters') return { layer: 1, name: 'exporters' };
  if (top === 'instrumentation') return { layer: 5, name: 'instrumentation' };
  if (sub === 'core') return { layer: 0, name: 'core' };
  if (sub === 'pipeline') return { layer: 2, name: 'pipeline' };
  if (sub === 'sdk' || sub === 'index.ts' || sub === 'register.ts') return { layer: 4, name: 'sdk' };
  return { layer: 3, name: `facade ${sub}` };
}

describe('layout: one core, imports one way, no cycle', () => {
  const files = sources();
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it('finds the source files and their imports (the check below has something to check)', () => {
    assert.ok(files.length > 80, `only ${files.length} files found`);
    assert.ok(graph.get('src/sdk/running-sdk.ts')!.includes('src/pipeline/metric-pipeline.ts'));
    for (const [f, deps] of graph) for (const d of deps) assert.ok(graph.has(d), `${f} imports ${d}, which is not a source file`);
  });

  it('has no import cycle (type imports included)', () => {
    const state = new Map<string, 'active' | 'done'>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'active');
      stack.push(f);
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'active') cycles.push([...stack.slice(stack.indexOf(d)), d].join(' -> '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    assert.deepEqual(cycles, []);
  });

  it('imports point one way: core imports nothing of ours, a facade imports only core, pipeline and its own folder', () => {
    const wrong: string[] = [];
    for (const [f, deps] of graph) {
      const from = layerOf(f);
      for (const d of deps) {
        const to = layerOf(d);
        const sideways = from.layer === 3 && to.layer === 3 && from.name !== to.name;
        if (to.layer > from.layer || sideways) wrong.push(`${f} (${from.name}) -> ${d} (${to.name})`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('the layer rule would catch a facade importing the SDK wiring (the check can fail)', () => {
    assert.ok(layerOf('src/sdk/start.ts').layer > layerOf('src/metrics/manager.ts').layer);
    assert.ok(layerOf('src/metrics/manager.ts').layer > layerOf('src/core/registry.ts').layer);
    assert.notEqual(layerOf('src/logger/logger.ts').name, layerOf('src/health/health-check.ts').name);
  });
});

/**
 * One fresh process per entry point: it imports that module and nothing
 * else, uses it, and prints a line the test checks. Uses the build in dist/
 * (npm test builds first), as an app would.
 */
const ENTRIES: Array<{ entry: string; script: string; expect: RegExp; args?: string[] }> = [
  {
    entry: 'vietnamese-ai-otel (the package)',
    script: `const m = await import('vietnamese-ai-otel');
      const q = new m.QuanLyMetrics('solo'); q.counter('calls');
      console.log(await q.export_prometheus());`,
    expect: /solo_calls_total 1/,
  },
  {
    entry: 'src/metrics alone (QuanLyMetrics.export_prometheus without the SDK module)',
    script: `const { QuanLyMetrics } = await import('./dist/src/metrics/index.js');
      const q = new QuanLyMetrics('alone'); q.counter('requests', {}, 2);
      console.log(await q.export_prometheus());`,
    expect: /alone_requests_total 2/,
  },
  {
    entry: 'src/breaker alone',
    script: `const { MachCat } = await import('./dist/src/breaker/index.js');
      const mc = new MachCat({ ten: 'solo' });
      console.log(await mc.thuc_hien(async () => 'ok'), mc.lay_thong_ke().thanh_cong);`,
    expect: /^ok 1$/m,
  },
  {
    entry: 'src/logger alone',
    script: `const { LoggerCauTruc } = await import('./dist/src/logger/index.js');
      const log = new LoggerCauTruc({ ten: 'solo', output: 'stdout' });
      log.info('hello from one module'); await log.dong();`,
    expect: /"message":"hello from one module"/,
  },
  {
    entry: 'src/warmup alone',
    script: `const { LamNongModel } = await import('./dist/src/warmup/index.js');
      const w = new LamNongModel({ tu_dong_lam_nong: false });
      w.dang_ky_model('m', { du_doan: (x) => x }, { du_lieu_mau: 1 });
      const r = await w.lam_nong('m'); console.log('warm', r.trang_thai, r.so_lan, w.san_sang());`,
    expect: /^warm ok 3 true$/m,
  },
  {
    entry: 'src/health alone',
    script: `const { KiemTraSucKhoe } = await import('./dist/src/health/index.js');
      const h = new KiemTraSucKhoe(); h.dang_ky_check('db', () => true);
      console.log('health', (await h.kiem_tra()).trang_thai); h.dong();`,
    expect: /^health healthy$/m,
  },
  {
    entry: 'vietnamese-ai-otel/exporters',
    script: `const e = await import('vietnamese-ai-otel/exporters');
      console.log(e.danh_sach_exporter().join(','));`,
    expect: /memory,otlp,prometheus/,
  },
  {
    entry: 'vietnamese-ai-otel/instrumentation (a /metrics endpoint)',
    script: `const http = await import('node:http');
      const { boc_xu_ly_http } = await import('vietnamese-ai-otel/instrumentation');
      const s = http.createServer(boc_xu_ly_http((req, res) => res.end('app'))).listen(0, '127.0.0.1');
      await new Promise((r) => s.once('listening', r));
      const res = await fetch('http://127.0.0.1:' + s.address().port + '/metrics');
      console.log('status', res.status, (await res.text()).includes('# TYPE target_info')); s.close();`,
    expect: /^status 200 true$/m,
  },
  {
    entry: 'vietnamese-ai-otel/register (node --import)',
    script: `const { trace } = await import('@opentelemetry/api');
      console.log('provider', trace.getTracerProvider().constructor.name);`,
    args: ['--import', 'vietnamese-ai-otel/register'],
    expect: /^provider ProxyTracerProvider$/m,
  },
];

describe('layout: every entry point works imported alone in a fresh process', function () {
  this.timeout(60_000);
  for (const { entry, script, expect, args } of ENTRIES) {
    it(entry, async () => {
      const { stdout, stderr } = await run(process.execPath, [...(args ?? []), '--input-type=module', '-e', script], {
        cwd: ROOT,
        env: { ...process.env, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_SDK_DISABLED: undefined },
        timeout: 30_000,
      });
      assert.match(stdout, expect, `stdout:\n${stdout}\nstderr:\n${stderr}`);
      assert.doesNotMatch(stderr, /Error|no embedded pipeline/, stderr);
    });
  }
});

