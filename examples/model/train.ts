/**
 * Training (huấn luyện) of the sentiment MLP in plain TypeScript:
 * features -> MatMul+Add -> Relu -> MatMul+Add -> Softmax, cross-entropy
 * loss, mini-batch gradient descent with L2 weight decay. Everything is
 * seeded, so the same data gives the same weights bit for bit.
 *
 * Why in TypeScript: the project needs a real model with no downloads and
 * no Python; a few hundred sparse samples train in well under a second.
 */
import { dac_trung_thua, SO_CHIEU, type DacTrungThua } from './features.js';
import { NHAN_CAM_XUC, type MauCamXuc } from './data.js';
import { tao_ngau_nhien, xao_tron } from './random.js';

/** Training settings (tham số). */
export interface ThamSoHuanLuyen {
  so_chieu: number;
  /** Hidden units (số nơ-ron ẩn). */
  so_an: number;
  so_vong: number;
  kich_thuoc_lo: number;
  toc_do_hoc: number;
  /** L2 weight decay. */
  phat_l2: number;
  hat_giong: number;
}

export const THAM_SO_MAC_DINH: Readonly<ThamSoHuanLuyen> = Object.freeze({
  so_chieu: SO_CHIEU,
  so_an: 16,
  so_vong: 80,
  kich_thuoc_lo: 16,
  toc_do_hoc: 0.5,
  phat_l2: 1e-4,
  hat_giong: 42,
});

/** The weights (trọng số), row-major, as the ONNX graph uses them. */
export interface TrongSo {
  so_chieu: number;
  so_an: number;
  so_lop: number;
  /** [so_chieu, so_an] */
  w1: Float64Array;
  /** [so_an] */
  b1: Float64Array;
  /** [so_an, so_lop] */
  w2: Float64Array;
  /** [so_lop] */
  b2: Float64Array;
}

interface Mau {
  x: DacTrungThua;
  y: number;
}

function khoiTao(t: ThamSoHuanLuyen, so_lop: number): TrongSo {
  const r = tao_ngau_nhien(t.hat_giong);
  const deu = (n: number, gioi_han: number): Float64Array => Float64Array.from({ length: n }, () => (r() * 2 - 1) * gioi_han);
  return {
    so_chieu: t.so_chieu,
    so_an: t.so_an,
    so_lop,
    w1: deu(t.so_chieu * t.so_an, Math.sqrt(6 / (t.so_chieu + t.so_an)) * 4),
    b1: new Float64Array(t.so_an),
    w2: deu(t.so_an * so_lop, Math.sqrt(6 / (t.so_an + so_lop))),
    b2: new Float64Array(so_lop),
  };
}

/** Forward pass of one sparse sample: hidden activations and class probabilities. */
function lanTruoc(w: TrongSo, x: DacTrungThua): { an: Float64Array; p: Float64Array } {
  const an = Float64Array.from(w.b1);
  x.chi_so.forEach((i, k) => {
    const v = x.gia_tri[k] as number;
    const goc = i * w.so_an;
    for (let j = 0; j < w.so_an; j++) an[j] = (an[j] as number) + v * (w.w1[goc + j] as number);
  });
  for (let j = 0; j < w.so_an; j++) if ((an[j] as number) < 0) an[j] = 0;
  const z = Float64Array.from(w.b2);
  for (let j = 0; j < w.so_an; j++) {
    const a = an[j] as number;
    if (a === 0) continue;
    for (let c = 0; c < w.so_lop; c++) z[c] = (z[c] as number) + a * (w.w2[j * w.so_lop + c] as number);
  }
  const m = Math.max(...z);
  let s = 0;
  for (let c = 0; c < w.so_lop; c++) {
    z[c] = Math.exp((z[c] as number) - m);
    s += z[c] as number;
  }
  for (let c = 0; c < w.so_lop; c++) z[c] = (z[c] as number) / s;
  return { an, p: z };
}

/** Class probabilities for a text under weights `w` (the TypeScript reference of the ONNX graph). */
export function xac_suat_ts(w: TrongSo, van_ban: string): number[] {
  return [...lanTruoc(w, dac_trung_thua(van_ban, w.so_chieu)).p];
}

/** Share of samples whose most probable label is right. */
export function do_chinh_xac(w: TrongSo, mau: readonly MauCamXuc[]): number {
  if (mau.length === 0) return Number.NaN;
  let dung = 0;
  for (const m of mau) {
    const p = xac_suat_ts(w, m.van_ban);
    const du_doan = p.indexOf(Math.max(...p));
    if (NHAN_CAM_XUC[du_doan] === m.nhan) dung++;
  }
  return dung / mau.length;
}

/** What training reports (kết quả huấn luyện). */
export interface KetQuaHuanLuyen {
  trong_so: TrongSo;
  tham_so: ThamSoHuanLuyen;
  /** Mean cross-entropy of the last epoch. */
  mat_mat_cuoi: number;
  thoi_gian_ms: number;
}

/** Trains the MLP on `mau`; deterministic for the same inputs and settings. */
export function huan_luyen(mau: readonly MauCamXuc[], tham_so: Partial<ThamSoHuanLuyen> = {}): KetQuaHuanLuyen {
  const t: ThamSoHuanLuyen = { ...THAM_SO_MAC_DINH, ...tham_so };
  const bat_dau = performance.now();
  const so_lop = NHAN_CAM_XUC.length;
  const w = khoiTao(t, so_lop);
  const ds: Mau[] = mau.map((m) => ({ x: dac_trung_thua(m.van_ban, t.so_chieu), y: NHAN_CAM_XUC.indexOf(m.nhan) }));
  const r = tao_ngau_nhien(t.hat_giong ^ 0x5bd1e995);
  const gw1 = new Float64Array(w.w1.length);
  const gb1 = new Float64Array(w.b1.length);
  const gw2 = new Float64Array(w.w2.length);
  const gb2 = new Float64Array(w.b2.length);
  const dz = new Float64Array(so_lop);
  const da = new Float64Array(t.so_an);
  let mat_mat_cuoi = Number.NaN;
  for (let vong = 0; vong < t.so_vong; vong++) {
    xao_tron(ds, r);
    let tong_mat_mat = 0;
    for (let dau = 0; dau < ds.length; dau += t.kich_thuoc_lo) {
      const lo = ds.slice(dau, dau + t.kich_thuoc_lo);
      gw1.fill(0);
      gb1.fill(0);
      gw2.fill(0);
      gb2.fill(0);
      for (const m of lo) {
        const { an, p } = lanTruoc(w, m.x);
        tong_mat_mat -= Math.log(Math.max(p[m.y] as number, 1e-12));
        for (let c = 0; c < so_lop; c++) dz[c] = (p[c] as number) - (c === m.y ? 1 : 0);
        da.fill(0);
        for (let j = 0; j < t.so_an; j++) {
          const a = an[j] as number;
          for (let c = 0; c < so_lop; c++) {
            const k = j * so_lop + c;
            gw2[k] = (gw2[k] as number) + a * (dz[c] as number);
            da[j] = (da[j] as number) + (w.w2[k] as number) * (dz[c] as number);
          }
          // Relu: no gradient through a unit that was off.
          if (a <= 0) da[j] = 0;
        }
        for (let c = 0; c < so_lop; c++) gb2[c] = (gb2[c] as number) + (dz[c] as number);
        for (let j = 0; j < t.so_an; j++) gb1[j] = (gb1[j] as number) + (da[j] as number);
        m.x.chi_so.forEach((i, k) => {
          const v = m.x.gia_tri[k] as number;
          const goc = i * t.so_an;
          for (let j = 0; j < t.so_an; j++) gw1[goc + j] = (gw1[goc + j] as number) + v * (da[j] as number);
        });
      }
      const buoc = t.toc_do_hoc / lo.length;
      const capNhat = (tham: Float64Array, g: Float64Array, l2: number): void => {
        for (let i = 0; i < tham.length; i++) tham[i] = (tham[i] as number) - buoc * (g[i] as number) - t.toc_do_hoc * l2 * (tham[i] as number);
      };
      capNhat(w.w1, gw1, t.phat_l2);
      capNhat(w.b1, gb1, 0);
      capNhat(w.w2, gw2, t.phat_l2);
      capNhat(w.b2, gb2, 0);
    }
    mat_mat_cuoi = tong_mat_mat / ds.length;
  }
  return { trong_so: w, tham_so: t, mat_mat_cuoi, thoi_gian_ms: performance.now() - bat_dau };
}
