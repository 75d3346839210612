import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const thuMuc = dirname(fileURLToPath(import.meta.url));

describe('lamnong/process exit: background refresh never keeps the process alive', function () {
  this.timeout(60_000);

  it('a process with auto-refresh started (and a live ONNX session) exits on its own, code 0', async () => {
    const con = spawn(process.execPath, ['--import', 'tsx', join(thuMuc, 'fixtures', 'self-exit.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let ra = '';
    let loi = '';
    con.stdout.on('data', (d: Buffer) => (ra += d.toString()));
    con.stderr.on('data', (d: Buffer) => (loi += d.toString()));
    const bat_dau = Date.now();
    const ket_thuc = await new Promise<{ code: number | null; bi_giet: boolean }>((resolve) => {
      const hen = setTimeout(() => {
        con.kill('SIGKILL');
        resolve({ code: null, bi_giet: true });
      }, 45_000);
      con.on('exit', (code) => {
        clearTimeout(hen);
        resolve({ code, bi_giet: false });
      });
    });
    assert.equal(ket_thuc.bi_giet, false, `the process did not exit on its own; stderr: ${loi}`);
    assert.equal(ket_thuc.code, 0, loi);
    const kq = JSON.parse(ra.trim()) as { refresh: number; dem: number; auto_refresh: boolean; san_sang: boolean };
    assert.ok(kq.refresh >= 3, `the ONNX model was refreshed ${kq.refresh} times`);
    assert.ok(kq.dem >= 4);
    assert.equal(kq.auto_refresh, true, 'refresh was still running when the script ended');
    assert.equal(kq.san_sang, true);
    console.log(`      child exited on its own in ${Date.now() - bat_dau} ms (tsx start-up and training included)`);
  });
});
