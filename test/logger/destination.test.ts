import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { khoi_dong_sdk, type SdkDangChay } from '../../src/sdk/index.js';
import { LoggerCauTruc } from '../../src/logger/index.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'write-stdout.ts');

function chayCon(n: number): Promise<{ ra: string; loi: string; ma: number | null }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', FIXTURE, String(n)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OTEL_SDK_DISABLED: 'true' } });
    let ra = '';
    let loi = '';
    c.stdout.on('data', (d: Buffer) => (ra += d.toString()));
    c.stderr.on('data', (d: Buffer) => (loi += d.toString()));
    c.on('error', reject);
    c.on('close', (ma) => resolve({ ra, loi, ma }));
  });
}

describe('logger/outputs: stdout, stderr, files, streams; bounded, non-blocking, counted', function () {
  let thu_muc: string;
  let sdk: SdkDangChay | undefined;
  beforeEach(() => {
    thu_muc = mkdtempSync(join(tmpdir(), 'logger-'));
  });
  afterEach(async () => {
    await sdk?.tat();
    sdk = undefined;
    rmSync(thu_muc, { recursive: true, force: true });
  });

  it('stdout and stderr: every line reaches the pipe even when the process exits right after logging', async () => {
    const { ra, loi, ma } = await chayCon(3000);
    assert.equal(ma, 0);
    const dong = ra.trim().split('\n').map((x) => JSON.parse(x) as { logger: string; data: { i: number } });
    assert.equal(dong.length, 3000);
    assert.deepEqual(dong.map((d) => d.data.i), Array.from({ length: 3000 }, (_, i) => i), 'in order, none lost');
    assert.ok(dong.every((d) => d.logger === 'out'));
    const dongLoi = loi.trim().split('\n').filter((x) => x.startsWith('{')).map((x) => JSON.parse(x) as { logger: string; level: string });
    assert.equal(dongLoi.length, 3000);
    assert.ok(dongLoi.every((d) => d.logger === 'err' && d.level === 'WARNING'));
  });

  it('a file path: parent directories are made, lines appended, flush() drains, two loggers share one file in order', async () => {
    const p = join(thu_muc, 'a', 'b', 'app.log');
    const l1 = new LoggerCauTruc({ ten: 'l1', output: p });
    const l2 = new LoggerCauTruc({ ten: 'l2', output: p });
    for (let i = 0; i < 500; i++) (i % 2 ? l2 : l1).info('x', { i });
    assert.equal(await l1.flush(), true);
    const dong = readFileSync(p, 'utf8').trim().split('\n').map((x) => JSON.parse(x) as { logger: string; data: { i: number } });
    assert.deepEqual(dong.map((d) => d.data.i), Array.from({ length: 500 }, (_, i) => i));
    assert.equal(l1.thong_ke().output, `file:${p}`);
    await l1.dong();
    l2.info('still open', { i: 500 });
    await l2.dong();
    const l3 = new LoggerCauTruc({ output: p });
    l3.info('appended after reopen');
    await l3.dong();
    const tat_ca = readFileSync(p, 'utf8').trim().split('\n');
    assert.equal(tat_ca.length, 502);
    assert.match(tat_ca[501] ?? '', /appended after reopen/);
  });

  it('a path that cannot be opened fails at construction, naming the path', () => {
    assert.throws(() => new LoggerCauTruc({ output: thu_muc }), (e: Error) => /cannot open log file/.test(e.message) && e.message.includes(thu_muc) && /directory/.test(e.message));
    const tep = join(thu_muc, 'la-tep');
    writeFileSync(tep, '');
    const duong = join(tep, 'con', 'ghi.log');
    assert.throws(() => new LoggerCauTruc({ output: duong }), (e: Error) => e.message.startsWith(`output: cannot open log file ${JSON.stringify(duong)}`));
  });

  it('a stream that stops draining: the event loop keeps running, memory stays bounded, drops are counted (thong_ke and metric)', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'none', logs_exporter: 'none', metrics_exporter: 'prometheus', prometheus: { phuc_vu: false }, http: false })!;
    let nhan = 0;
    const ket = new Writable({
      highWaterMark: 1024,
      write(c: Buffer, _e, _cb) {
        nhan += c.length; // never calls back: a stuck consumer
      },
    });
    const l = new LoggerCauTruc({ ten: 'ket', output: ket, gioi_han_bo_dem: 64 * 1024, otel: false });
    let tick = 0;
    const hen = setInterval(() => tick++, 1);
    const bat_dau = performance.now();
    for (let dot = 0; dot < 20; dot++) {
      for (let i = 0; i < 500; i++) l.info('dòng khá dài để lấp đầy bộ đệm', { i, dot, pad: 'y'.repeat(100) });
      await new Promise<void>((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 30));
    clearInterval(hen);
    assert.ok(performance.now() - bat_dau < 5000);
    assert.ok(tick > 0, 'timers fired while logging into a stuck stream');
    const tk = l.thong_ke();
    assert.equal(tk.tong, 10_000);
    assert.ok(tk.bi_bo.bo_dem_day > 9000, `dropped ${tk.bi_bo.bo_dem_day}`);
    assert.ok(tk.dau_ra.dang_cho <= 64 * 1024, 'the in-memory buffer never exceeds its limit');
    assert.ok(nhan > 0 && nhan < 64 * 1024, 'the stream got one chunk and then nothing until it drains');
    assert.equal(await l.flush(100), false, 'flush reports that the stream did not drain in time');
    const text = await sdk.export_prometheus();
    const dropped = text.split('\n').find((x) => x.startsWith('vietnamese_ai_logger_dropped') && x.includes('logger="ket"') && x.includes('reason="buffer_full"'));
    assert.ok(dropped, `dropped counter exported:\n${text.split('\n').filter((x) => x.includes('logger')).join('\n')}`);
    assert.equal(Number(dropped.split(' ').at(-1)), tk.bi_bo.bo_dem_day);
    const info = text.split('\n').find((x) => x.startsWith('vietnamese_ai_logger_lines') && x.includes('logger="ket"') && x.includes('level="INFO"'));
    assert.ok(info);
    assert.equal(Number(info.split(' ').at(-1)), 10_000);
  });

  it('a slow but live stream: backpressure is respected and nothing is lost', async () => {
    let text = '';
    let dang_ghi = 0;
    let toi_da = 0;
    const cham = new Writable({
      highWaterMark: 4096,
      write(c: Buffer, _e, cb) {
        dang_ghi++;
        toi_da = Math.max(toi_da, dang_ghi);
        setTimeout(() => {
          text += c.toString();
          dang_ghi--;
          cb();
        }, 2);
      },
    });
    const l = new LoggerCauTruc({ output: cham });
    for (let i = 0; i < 2000; i++) l.info('m', { i });
    assert.equal(await l.flush(10_000), true);
    const ds = text.trim().split('\n').map((x) => JSON.parse(x) as { data: { i: number } });
    assert.deepEqual(ds.map((d) => d.data.i), Array.from({ length: 2000 }, (_, i) => i));
    assert.equal(l.thong_ke().tong_bi_bo, 0);
    assert.equal(toi_da, 1, 'one write in flight at a time');
  });

  it('stream errors are counted, never thrown', async () => {
    const hong = new Writable({
      write(_c, _e, cb) {
        cb(new Error('disk on fire'));
      },
    });
    const l = new LoggerCauTruc({ output: hong });
    assert.doesNotThrow(() => l.info('a'));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(l.thong_ke().dau_ra.loi_ghi >= 1, true);
    assert.equal(l.thong_ke().dau_ra.loi_cuoi, 'disk on fire');
    assert.doesNotThrow(() => l.info('b'));
  });
});
