/**
 * KiemTraSucKhoe vs the seed's behaviour, side by side in one run:
 * - the seed runs checks one after another (and reruns them on every probe);
 *   ours runs them concurrently under one deadline;
 * - a probe within the cache time costs a lookup;
 * - a burst of 100 concurrent probes makes one run (single flight).
 */
import { KiemTraSucKhoe } from '../src/index.js';
import { BangDo } from './lib.js';

const SO_CHECK = 10;
const MS_MOI_CHECK = 5;
const cho = (ms: number) => new Promise<boolean>((r) => setTimeout(() => r(true), ms));
const checks = Array.from({ length: SO_CHECK }, () => () => cho(MS_MOI_CHECK));

/** The seed: every check awaited in turn. */
async function tuan_tu(): Promise<boolean> {
  let ok = true;
  for (const c of checks) ok = (await c()) && ok;
  return ok;
}

const khong_cache = new KiemTraSucKhoe({ timeout: 2, thoi_gian_cache: 0 });
const co_cache = new KiemTraSucKhoe({ timeout: 2, thoi_gian_cache: 3600 });
for (const [i, c] of checks.entries()) {
  khong_cache.dang_ky_check(`c${i}`, c);
  co_cache.dang_ky_check(`c${i}`, c);
}
await co_cache.kiem_tra();

const b = new BangDo('health');
b.them_async(`seed-like: ${SO_CHECK} checks x ${MS_MOI_CHECK} ms, sequential`, tuan_tu, 10);
b.them_async(`KiemTraSucKhoe.kiem_tra, same checks (no cache)`, () => khong_cache.kiem_tra(), 10);
b.them_async('ready() within the cache time', () => co_cache.ready(), 20_000);
await b.chay({ vong: 5 });
b.ty_le('concurrent vs sequential', `KiemTraSucKhoe.kiem_tra, same checks (no cache)`, `seed-like: ${SO_CHECK} checks x ${MS_MOI_CHECK} ms, sequential`, '<= 0.3');

// Single flight: 20 bursts of 100 concurrent probes against a 50 ms check.
let goi = 0;
const sf = new KiemTraSucKhoe({ timeout: 2, thoi_gian_cache: 0 });
sf.dang_ky_check('cham', async () => {
  goi++;
  return cho(50);
});
for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 100 }, () => sf.ready()));
b.ghi_chu.push(`single flight: 20 bursts x 100 concurrent ready() ran the check ${goi} times (the seed: 2000)`);
b.in();
for (const k of [khong_cache, co_cache, sf]) k.dong();
