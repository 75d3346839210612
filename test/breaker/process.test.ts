import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'process.ts');

function chay(args: string[], gioiHanMs: number): Promise<{ ma: number | null; tinHieu: NodeJS.Signals | null; ra: string; loi: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const bd = performance.now();
    const c = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OTEL_SDK_DISABLED: '' } });
    let ra = '';
    let loi = '';
    c.stdout.on('data', (d: Buffer) => (ra += d.toString()));
    c.stderr.on('data', (d: Buffer) => (loi += d.toString()));
    const hen = setTimeout(() => c.kill('SIGKILL'), gioiHanMs);
    c.on('error', reject);
    c.on('close', (ma, tinHieu) => {
      clearTimeout(hen);
      resolve({ ma, tinHieu, ra, loi, ms: performance.now() - bd });
    });
  });
}

describe('MachCat: a process with breakers in every state exits on its own', () => {
  for (const args of [[], ['sdk']]) {
    it(`exits promptly with breakers closed, open, half-open with a hung trial${args.length ? ', SDK started' : ''}`, async function () {
      this.timeout(30_000);
      // The breakers hold timeouts of an hour: anything timer-based would hang.
      const r = await chay(args, 20_000);
      assert.equal(r.tinHieu, null, `killed after ${Math.round(r.ms)} ms: the process did not exit on its own\n${r.loi}`);
      assert.equal(r.ma, 0, r.loi);
      assert.deepEqual(JSON.parse(r.ra), { dong: 'dong', mo: 'mo', nua_mo: 'nua_mo', cho_thu: 'nua_mo', bi_chan: true, nua_mo_chan: true, dang_chay: 1 });
    });
  }
});
