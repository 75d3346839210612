import assert from 'node:assert/strict';
import { PhacThaoPhanVi, QuanLyMetrics } from '../../src/index.js';
import { tao_ngau_nhien } from '../support/random.js';

/** A seeded PRNG (mulberry32), so every run sees the same samples. */
const ngauNhien = tao_ngau_nhien;

function chuan(r: () => number): number {
  // Box-Muller
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** numpy.percentile(x, q*100) with the default linear method. */
function phanViNumpy(sapXep: Float64Array, q: number): number {
  const h = (sapXep.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sapXep.length - 1, lo + 1);
  return (sapXep[lo] as number) + ((sapXep[hi] as number) - (sapXep[lo] as number)) * (h - lo);
}

function kiemTra(ten: string, mau: Float64Array): void {
  const qlm = new QuanLyMetrics('phan_vi_test');
  try {
    for (const x of mau) qlm.histogram('x', x);
    const st = qlm.lay_histogram_stats('x');
    const s = Float64Array.from(mau).sort();
    let tong = 0;
    for (const x of mau) tong += x;
    const tb = tong / mau.length;
    let m2 = 0;
    for (const x of mau) m2 += (x - tb) ** 2;
    assert.equal(st.count, mau.length, `${ten}: count`);
    assert.equal(st.min, s[0], `${ten}: min`);
    assert.equal(st.max, s[s.length - 1], `${ten}: max`);
    const gan = (a: number, b: number, tuongDoi: number, nhan: string) =>
      assert.ok(Math.abs(a - b) <= tuongDoi * Math.abs(b) + 1e-12, `${ten}: ${nhan} ${a} vs exact ${b} (rel err ${Math.abs(a - b) / Math.abs(b)})`);
    gan(st.mean, tb, 1e-9, 'mean');
    gan(st.std, Math.sqrt(m2 / mau.length), 1e-6, 'std');
    for (const [k, q] of [
      ['p50', 0.5],
      ['p90', 0.9],
      ['p95', 0.95],
      ['p99', 0.99],
    ] as const) {
      gan(st[k], phanViNumpy(s, q), 0.01, k);
    }
  } finally {
    qlm.dong();
  }
}

function tao(n: number, f: (r: () => number, i: number) => number, hat = 42): Float64Array {
  const r = ngauNhien(hat);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = f(r, i);
  return a;
}

describe('metrics/lay_histogram_stats: exact count/min/max/mean, std and p50..p99 within 1% of numpy', function () {
  this.timeout(60_000);
  it('uniform [0, 1000)', () => kiemTra('uniform', tao(50_000, (r) => r() * 1000)));
  it('lognormal (latency-like, heavy tail)', () => kiemTra('lognormal', tao(50_000, (r) => Math.exp(3 + 1.2 * chuan(r)))));
  it('bimodal (cache hits ~2 ms, misses ~200 ms)', () =>
    kiemTra('bimodal', tao(50_000, (r) => (r() < 0.7 ? 2 + 0.3 * chuan(r) : 200 + 20 * chuan(r)))));
  it('constant values: every statistic exact', () => {
    const qlm = new QuanLyMetrics('phan_vi_test');
    for (let i = 0; i < 1000; i++) qlm.histogram('c', 42.5);
    const st = qlm.lay_histogram_stats('c');
    assert.deepEqual(st, { count: 1000, mean: 42.5, std: 0, min: 42.5, max: 42.5, p50: 42.5, p90: 42.5, p95: 42.5, p99: 42.5 });
    qlm.dong();
  });
  it('negative values only', () => kiemTra('negative', tao(20_000, (r) => -1 - r() * 500)));
  it('mixed signs with zeros (quantiles away from the sign change)', () =>
    kiemTra('mixed', tao(20_000, (r, i) => (i % 10 === 0 ? 0 : r() < 0.2 ? -50 - r() * 50 : 100 + r() * 900))));
  it('a few samples (n = 1, 2, 5): interpolation between neighbours like numpy', () => {
    kiemTra('n1', Float64Array.of(7));
    kiemTra('n2', Float64Array.of(10, 20));
    kiemTra('n5', Float64Array.of(5, 1, 4, 2, 3));
  });
  it('1e6 samples with bounded memory (no per-sample storage)', () => {
    const mau = tao(1_000_000, (r) => Math.exp(2 + 1.5 * chuan(r)), 7);
    kiemTra('1e6 lognormal', mau);
    const ph = new PhacThaoPhanVi();
    for (const x of mau) ph.them(x);
    const sau1e5 = new PhacThaoPhanVi();
    for (let i = 0; i < 100_000; i++) sau1e5.them(mau[i] as number);
    // 8 MB of samples; the sketch is bounded by 2 x 2048 buckets x 8 bytes whatever n is.
    assert.ok(ph.so_byte <= 2 * 2048 * 8, `sketch holds ${ph.so_byte} bytes`);
    assert.ok(ph.so_byte <= 2 * sau1e5.so_byte, `10x the samples must not mean 10x the memory: ${sau1e5.so_byte} -> ${ph.so_byte}`);
  });
  it('an extreme dynamic range (1e-9 .. 1e12) stays bounded; the upper quantiles stay accurate', () => {
    const mau = tao(100_000, (r) => Math.pow(10, -9 + 21 * r()));
    const ph = new PhacThaoPhanVi();
    for (const x of mau) ph.them(x);
    assert.ok(ph.so_byte <= 2048 * 8, `bounded: ${ph.so_byte} bytes`);
    const qlm = new QuanLyMetrics('phan_vi_test');
    for (const x of mau) qlm.histogram('rong', x);
    const s = Float64Array.from(mau).sort();
    const st = qlm.lay_histogram_stats('rong');
    for (const [k, q] of [
      ['p90', 0.9],
      ['p99', 0.99],
    ] as const) {
      const exact = phanViNumpy(s, q);
      assert.ok(Math.abs(st[k] - exact) <= 0.01 * exact, `${k}: ${st[k]} vs ${exact}`);
    }
    qlm.dong();
  });
});
