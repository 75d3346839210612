/**
 * The demo's sentiment model (mô hình cảm xúc): trained by the project
 * itself in TypeScript, exported as ONNX bytes, and run with
 * `onnxruntime-node`. `tao_mo_hinh_cam_xuc()` (create sentiment model)
 * trains (or reads a cached copy), opens an ONNX Runtime session on the
 * bytes in memory, and returns a model with `du_doan(text)` (predict).
 *
 * The session is NOT warmed here on purpose: warming is `LamNongModel`'s job,
 * and the first inference of a fresh session is measurably slower.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { dac_trung_day, SO_CHIEU } from './features.js';
import { chia_du_lieu, NHAN_CAM_XUC, tao_du_lieu, type NhanCamXuc } from './data.js';
import { do_chinh_xac, huan_luyen, THAM_SO_MAC_DINH, type ThamSoHuanLuyen } from './train.js';
import { doc_metadata, TEN_DAU_RA, TEN_DAU_VAO, xuat_onnx } from './export-onnx.js';

/** Longest text `du_doan` accepts (characters); longer input is a RangeError, not a slow request. */
export const DO_DAI_TOI_DA = 5000;

/** Bumped when features, data or graph change, so stale cache files are not used. */
const PHIEN_BAN_MO_HINH = 'cam-xuc-v1';

/** One prediction (kết quả dự đoán). */
export interface KetQuaCamXuc {
  /** The most probable label. */
  nhan: NhanCamXuc;
  /** Its probability (độ tin cậy: confidence). */
  do_tin_cay: number;
  /** Probability of every label (xác suất). */
  xac_suat: Record<NhanCamXuc, number>;
}

/** Held-out accuracy and set sizes, measured at training time (độ chính xác). */
export interface DoChinhXac {
  /** Accuracy on the whole held-out set. */
  kiem_tra: number;
  /** Accuracy on the held-out hand-written sentences only (no template). */
  kiem_tra_viet_tay: number;
  /** Accuracy on the training set. */
  huan_luyen: number;
  so_mau_huan_luyen: number;
  so_mau_kiem_tra: number;
  so_mau_kiem_tra_viet_tay: number;
}

export interface TuyChonMoHinhCamXuc {
  /**
   * A directory (outside the repo, e.g. `~/.cache/vietnamese-ai-otel/model`)
   * where the ONNX bytes are cached, keyed by a hash of data, settings and
   * model version. Without it the model is trained in memory (~0.1 s).
   */
  thu_muc_cache?: string;
  /** ONNX Runtime session options; default one intra-op thread (a tiny model gains nothing from a pool). */
  tuy_chon_session?: ort.InferenceSession.SessionOptions;
  /** Training settings (defaults: THAM_SO_MAC_DINH). */
  tham_so?: Partial<ThamSoHuanLuyen>;
}

/** The trained, exported ONNX bytes and their report, before a session is opened. */
export interface MoHinhOnnx {
  bytes: Uint8Array;
  do_chinh_xac: DoChinhXac;
  /** Training time, or undefined when read from the cache. */
  thoi_gian_huan_luyen_ms: number | undefined;
  tu_cache: boolean;
}

/** Trains the model and returns its ONNX bytes (deterministic for the same settings). */
export function huan_luyen_va_xuat(tham_so: Partial<ThamSoHuanLuyen> = {}): MoHinhOnnx {
  const du_lieu = tao_du_lieu();
  const { huan_luyen: tap_hl, kiem_tra } = chia_du_lieu(du_lieu);
  const kq = huan_luyen(tap_hl, tham_so);
  const viet_tay = kiem_tra.filter((m) => m.viet_tay);
  const dcx: DoChinhXac = {
    kiem_tra: do_chinh_xac(kq.trong_so, kiem_tra),
    kiem_tra_viet_tay: do_chinh_xac(kq.trong_so, viet_tay),
    huan_luyen: do_chinh_xac(kq.trong_so, tap_hl),
    so_mau_huan_luyen: tap_hl.length,
    so_mau_kiem_tra: kiem_tra.length,
    so_mau_kiem_tra_viet_tay: viet_tay.length,
  };
  const bytes = xuat_onnx(kq.trong_so, NHAN_CAM_XUC, { do_chinh_xac: JSON.stringify(dcx), phien_ban: PHIEN_BAN_MO_HINH });
  return { bytes, do_chinh_xac: dcx, thoi_gian_huan_luyen_ms: kq.thoi_gian_ms, tu_cache: false };
}

function khoaCache(tham_so: Partial<ThamSoHuanLuyen>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: PHIEN_BAN_MO_HINH, d: tao_du_lieu(), t: { ...THAM_SO_MAC_DINH, ...tham_so }, n: SO_CHIEU }));
  return h.digest('hex').slice(0, 16);
}

async function layBytes(t: TuyChonMoHinhCamXuc): Promise<MoHinhOnnx> {
  const tham_so = t.tham_so ?? {};
  if (t.thu_muc_cache === undefined) return huan_luyen_va_xuat(tham_so);
  const tep = join(t.thu_muc_cache, `${PHIEN_BAN_MO_HINH}-${khoaCache(tham_so)}.onnx`);
  try {
    const bytes = new Uint8Array(await readFile(tep));
    const meta = doc_metadata(bytes);
    if (meta.phien_ban === PHIEN_BAN_MO_HINH && meta.do_chinh_xac !== undefined) {
      return { bytes, do_chinh_xac: JSON.parse(meta.do_chinh_xac) as DoChinhXac, thoi_gian_huan_luyen_ms: undefined, tu_cache: true };
    }
  } catch {
    // No cache file, or an unreadable one: train again and rewrite it.
  }
  const m = huan_luyen_va_xuat(tham_so);
  await mkdir(t.thu_muc_cache, { recursive: true });
  const tam = `${tep}.${process.pid}.tmp`;
  await writeFile(tam, m.bytes);
  await rename(tam, tep);
  return m;
}

/** A ready ONNX sentiment model. */
export class MoHinhCamXuc {
  /** Output labels in column order. */
  readonly nhan: readonly NhanCamXuc[] = NHAN_CAM_XUC;
  readonly kich_thuoc_bytes: number;

  /** @internal use `tao_mo_hinh_cam_xuc()` */
  constructor(
    /** The ONNX Runtime session (phiên). */
    readonly session: ort.InferenceSession,
    /** The ONNX model bytes. */
    readonly onnx_bytes: Uint8Array,
    readonly do_chinh_xac: DoChinhXac,
    readonly thoi_gian_huan_luyen_ms: number | undefined,
    readonly tu_cache: boolean,
  ) {
    this.kich_thuoc_bytes = onnx_bytes.byteLength;
  }

  /** Predicts (dự đoán) the sentiment of one text. */
  async du_doan(van_ban: string): Promise<KetQuaCamXuc> {
    const [kq] = await this.du_doan_lo([van_ban]);
    return kq as KetQuaCamXuc;
  }

  /** Predicts a batch (lô) of texts in one ONNX run. */
  async du_doan_lo(ds_van_ban: readonly string[]): Promise<KetQuaCamXuc[]> {
    if (!Array.isArray(ds_van_ban)) throw new TypeError('du_doan_lo: expected an array of strings');
    for (const v of ds_van_ban) {
      if (typeof v !== 'string') throw new TypeError(`du_doan: text must be a string, got ${v === null ? 'null' : typeof v}`);
      if (v.length > DO_DAI_TOI_DA) throw new RangeError(`du_doan: text is ${v.length} characters, at most ${DO_DAI_TOI_DA} allowed`);
    }
    if (ds_van_ban.length === 0) return [];
    const x = new ort.Tensor('float32', dac_trung_day(ds_van_ban, SO_CHIEU), [ds_van_ban.length, SO_CHIEU]);
    const ra = await this.session.run({ [TEN_DAU_VAO]: x });
    const p = ra[TEN_DAU_RA]?.data as Float32Array;
    const so_lop = this.nhan.length;
    return ds_van_ban.map((_, hang) => {
      const xac_suat = {} as Record<NhanCamXuc, number>;
      let tot = 0;
      for (let c = 0; c < so_lop; c++) {
        xac_suat[this.nhan[c] as NhanCamXuc] = p[hang * so_lop + c] as number;
        if ((p[hang * so_lop + c] as number) > (p[hang * so_lop + tot] as number)) tot = c;
      }
      return { nhan: this.nhan[tot] as NhanCamXuc, do_tin_cay: p[hang * so_lop + tot] as number, xac_suat };
    });
  }

  /** Releases the session (đóng: close). */
  async dong(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Creates the sentiment model (tạo mô hình cảm xúc): trains it (or reads the
 * cache), opens an ONNX Runtime session on the bytes in memory. Not warmed.
 */
export async function tao_mo_hinh_cam_xuc(tuy_chon: TuyChonMoHinhCamXuc = {}): Promise<MoHinhCamXuc> {
  if (tuy_chon === null || typeof tuy_chon !== 'object') throw new TypeError('tao_mo_hinh_cam_xuc: options must be an object');
  if (tuy_chon.thu_muc_cache !== undefined && (typeof tuy_chon.thu_muc_cache !== 'string' || tuy_chon.thu_muc_cache === '')) {
    throw new TypeError('tao_mo_hinh_cam_xuc: thu_muc_cache must be a non-empty directory path');
  }
  const m = await layBytes(tuy_chon);
  const session = await ort.InferenceSession.create(m.bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    ...tuy_chon.tuy_chon_session,
  });
  return new MoHinhCamXuc(session, m.bytes, m.do_chinh_xac, m.thoi_gian_huan_luyen_ms, m.tu_cache);
}
