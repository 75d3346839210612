import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KiemTraSucKhoe } from '../../src/health/index.js';
import { boc_xu_ly_http, dang_ky_tat_an_toan, type TatAnToan } from '../../instrumentation/index.js';
import { dong, goi, nghe } from './support.js';
import { latenessVsTimer, waitFor } from '../support/wait.js';
import { reportedPort } from '../support/ports.js';

const doi = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('instrumentation/dang_ky_tat_an_toan: graceful shutdown', function () {
  let server: Server | undefined;
  let h: KiemTraSucKhoe | undefined;
  let tat: TatAnToan | undefined;
  afterEach(async () => {
    tat?.huy();
    tat = undefined;
    if (server?.listening) await dong(server);
    server = undefined;
    h?.dong();
  });

  it('in process (signal emitted): readiness 503 at once, liveness 200 while draining, in-flight requests finish, then close, flush, exit(0); a second signal changes nothing', async () => {
    const su_kien: string[] = [];
    let cham_den = false;
    h = new KiemTraSucKhoe({ thoi_gian_cache: 0 });
    h.dang_ky_check('ok', () => true);
    server = createServer(
      boc_xu_ly_http(
        (req, res) => {
          if (req.url === '/cham') {
            cham_den = true;
            setTimeout(() => res.end('xong'), 400);
          }
          else res.end('app');
        },
        { suc_khoe: h },
      ),
    );
    const url = await nghe(server);
    server.on('close', () => su_kien.push('server_close'));
    let flush = 0;
    tat = dang_ky_tat_an_toan({
      server,
      suc_khoe: h,
      sdk: {
        tat: async () => {
          flush++;
          su_kien.push('flush');
        },
      },
      tre_drain_ms: 300,
      thoi_gian_toi_da_ms: 5000,
      // mocha runs every test file in this process: a fake SIGTERM could reach other files' handlers
      tin_hieu: ['SIGUSR2'],
      thoat: (ma) => su_kien.push(`exit ${ma}`),
    });
    const dang_cham = goi(`${url}/cham`);
    await waitFor(() => cham_den, 5000, 'the slow request to reach the server', 2);
    assert.equal((await goi(`${url}/readyz`)).status, 200);
    process.emit('SIGUSR2');
    assert.equal(tat.dang_tat, true);
    const r = await goi(`${url}/readyz`);
    assert.equal(r.status, 503);
    assert.equal((await goi(`${url}/livez`)).status, 200);
    assert.equal((await goi(`${url}/other`)).body, 'app', 'still serving while draining');
    process.emit('SIGUSR2'); // idempotent
    const kq = await tat.tat('lan-hai');
    assert.equal(kq.ly_do, 'SIGUSR2');
    assert.equal((await dang_cham).body, 'xong', 'the in-flight request completed');
    assert.deepEqual(su_kien, ['server_close', 'flush', 'exit 0']);
    assert.equal(flush, 1);
    assert.equal(kq.ma_thoat, 0);
    assert.equal(kq.het_gio, false);
    assert.deepEqual(kq.cac_buoc.map((b) => b.buoc), ['bat_dau', 'readiness_that_bai', 'het_drain', 'may_chu_da_dong', 'telemetry_da_flush', 'thoat']);
    assert.ok(kq.cac_buoc[2]!.ms >= 290, 'drained for tre_drain_ms');
    await assert.rejects(goi(`${url}/livez`), /ECONNREFUSED/);
  });

  it('bounded: a request that never ends and a flush that hangs cannot hold the exit past thoi_gian_toi_da_ms', async () => {
    let den = false;
    server = createServer(() => {
      den = true; // never answers
    });
    const url = await nghe(server);
    const treo = goi(`${url}/treo`).catch((e: Error) => e);
    await waitFor(() => den, 5000, 'the hanging request to reach the server', 2);
    const ma: number[] = [];
    tat = dang_ky_tat_an_toan({
      server,
      sdk: { tat: () => new Promise(() => {}) },
      tre_drain_ms: 100,
      thoi_gian_toi_da_ms: 900,
      du_tru_flush_ms: 300,
      tin_hieu: [],
      thoat: (m) => ma.push(m),
    });
    const { value: kq, lateness } = await latenessVsTimer(900, () => tat!.tat());
    assert.ok(lateness < 250, `ended ${lateness.toFixed(0)} ms after a 900 ms timer started with it`);
    assert.equal(kq.het_gio, true);
    assert.deepEqual(ma, [1]);
    assert.ok((await treo) instanceof Error, 'the hanging request was cut');
    const b = Object.fromEntries(kq.cac_buoc.map((x) => [x.buoc, x.ms]));
    assert.ok(b.may_chu_da_dong! <= 900 - 300 + 100, `close gave way to the flush reserve: ${JSON.stringify(b)}`);
  });

  it('bad options get clear errors', () => {
    const s = createServer();
    const bad: Array<[unknown, RegExp]> = [
      [null, /options/],
      [{}, /server/],
      [{ server: {} }, /server/],
      [{ server: [] }, /server/],
      [{ server: s, tre_drain_ms: -1 }, /tre_drain_ms/],
      [{ server: s, thoi_gian_toi_da_ms: 0 }, /thoi_gian_toi_da_ms/],
      [{ server: s, thoi_gian_toi_da_ms: Number.NaN }, /thoi_gian_toi_da_ms/],
      [{ server: s, thoi_gian_toi_da_ms: 1000, du_tru_flush_ms: 1000 }, /du_tru_flush_ms/],
      [{ server: s, tin_hieu: 'SIGTERM' }, /tin_hieu/],
      [{ server: s, thoat: 1 }, /thoat/],
    ];
    for (const [o, re] of bad) assert.throws(() => dang_ky_tat_an_toan(o as never), re, JSON.stringify(o));
  });

  it('a real child process on SIGTERM: readiness 503 before the server closes, liveness up while draining, spans delivered before exit', async function () {
    this.timeout(30_000);
    // The OTLP receiver notes when each export arrives.
    const nhan: Array<{ t: number; ten: string[] }> = [];
    const may_nhan = createServer((req: IncomingMessage, res) => {
      const phan: Buffer[] = [];
      req.on('data', (c: Buffer) => phan.push(c));
      req.on('end', () => {
        const t = performance.now();
        const b = JSON.parse(Buffer.concat(phan).toString('utf8')) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ name: string }> }> }> };
        const ten = (b.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => s.name)));
        nhan.push({ t, ten });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const url_nhan = await nghe(may_nhan);
    const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'graceful-child.ts');
    const con = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: join(dirname(fileURLToPath(import.meta.url)), '..', '..'),
      env: { ...process.env, OTLP_TEST_URL: url_nhan, TRE_DRAIN_MS: '600' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let loi = '';
    con.stderr!.on('data', (c: Buffer) => (loi += c.toString()));
    const thoat = new Promise<{ t: number; ma: number | null }>((r) => con.once('exit', (ma) => r({ t: performance.now(), ma })));
    try {
      const port = await reportedPort(con, 'graceful-child', () => loi);
      const url = `http://127.0.0.1:${port}`;
      assert.equal((await goi(`${url}/readyz`)).status, 200);
      assert.equal((await goi(`${url}/app`)).body, 'app'); // a traced request
      await doi(100);
      assert.equal(nhan.length, 0, 'nothing exported before the signal (batch delay 60 s)');

      con.kill('SIGTERM');
      const t_sig = performance.now();
      let t_503: number | undefined;
      let t_tu_choi: number | undefined;
      let song_khi_drain = 0;
      while (t_tu_choi === undefined && performance.now() - t_sig < 10_000) {
        try {
          const r = await goi(`${url}/readyz`);
          if (r.status === 503 && t_503 === undefined) t_503 = performance.now();
          if (t_503 !== undefined && (await goi(`${url}/livez`)).status === 200) song_khi_drain++;
        } catch {
          t_tu_choi = performance.now();
        }
        await doi(25);
      }
      const kt = await thoat;
      assert.equal(kt.ma, 0, loi);
      assert.ok(t_503 !== undefined, 'readiness went 503');
      assert.ok(t_tu_choi !== undefined, 'the server closed');
      assert.ok(t_503 < t_tu_choi, 'readiness failed before the server closed');
      assert.ok(t_503 - t_sig < 400, `readiness failed at once (${t_503 - t_sig} ms)`);
      assert.ok(t_tu_choi - t_sig >= 500, `the server stayed up for the drain (${t_tu_choi - t_sig} ms)`);
      assert.ok(song_khi_drain > 0, 'liveness stayed 200 while draining');
      const ten = nhan.flatMap((n) => n.ten);
      assert.ok(ten.includes('cong-viec-truoc-tat'), JSON.stringify(ten));
      assert.ok(ten.includes('GET'), `the request's SERVER span: ${JSON.stringify(ten)}`);
      assert.ok(nhan.every((n) => n.t < kt.t), 'spans received before the child exited');
      assert.ok(kt.t - t_sig < 8000, 'bounded');
    } finally {
      if (con.exitCode === null) con.kill('SIGKILL');
      await dong(may_nhan);
    }
  });
});
