/**
 * LamNongModel (model warm-up): runs a few predictions on sample data before
 * a model takes traffic, so the first real request does not pay for lazy
 * initialisation (an ONNX Runtime session's first run is ~100x a warm one).
 *
 * What it guarantees, and why:
 * - A model is warmed ONLY when its latest warm-up succeeded; a failed one
 *   reports `trang_thai: "loi"` and the model is not ready (`san_sang()`),
 *   like Triton, which holds readiness until warm-up succeeds.
 * - Concurrent `lam_nong` / `lay_model` calls for one model share ONE
 *   warm-up (single flight): a burst of requests at start-up must not run
 *   the warm-up once per request.
 * - Warm-up yields to the event loop (setImmediate) before every run, so
 *   probes and other requests are delayed by at most one run, even for a
 *   model whose prediction blocks the thread (ORT's `session.run` does).
 * - Background refresh uses one unref'd timer (it never keeps the process
 *   alive), re-arms only after a cycle finished (never overlaps itself), and
 *   `dung_auto_refresh()` clears the timer at once.
 */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { HamDuDoan, KetQuaLamNong, LyDoLamNong, ThongKeLamNong, TrangThaiModel, TuyChonDangKyModel, TuyChonLamNongModel } from './types.js';
import { LoiKhongCoModel, LoiLamNong } from './errors.js';
import { an_toan, ghi_su_kien_model, ghi_thoi_gian, them_su_kien, theo_doi, tracer, type SoLieuModel } from './telemetry.js';
import { race_deadline } from '../core/deadline.js';
import { error_text } from '../core/error-text.js';
import { find_predict } from '../core/model-predict.js';
import { giai_tuy_chon, giai_tuy_chon_dang_ky, HEN_GIO_TOI_DA_MS, kiem_tra_ten, type CauHinhLamNong } from './options.js';

/** One registered model and its warm-up state (mục: entry). */
interface MucModel {
  readonly ten: string;
  readonly model: unknown;
  readonly du_lieu_mau: unknown;
  readonly co_du_lieu_mau: boolean;
  readonly co_ham_du_doan: boolean;
  /** The resolved prediction, or undefined when there is nothing to run. */
  readonly du_doan: ((x: unknown) => unknown) | undefined;
  readonly tu_dong_refresh: boolean;
  readonly thoi_diem_dang_ky: number;
  da_warmup: boolean;
  dang_chay: Promise<KetQuaLamNong> | undefined;
  ket_qua_cuoi: KetQuaLamNong | null;
  thoi_diem_warmup_cuoi: number | null;
  so_ok: number;
  so_loi: number;
  tong_thoi_gian_ms: number;
}

/** A running background refresh (phiên refresh). */
interface PhienRefresh {
  dung: boolean;
  hen: NodeJS.Timeout | undefined;
}

/**
 * The prediction for a model: `ham_du_doan`, else `model.du_doan`, else
 * `model.predict`, else the model itself when it is a function (methods are
 * called on the model, so `this` works).
 */
function timDuDoan(model: unknown, ham: HamDuDoan | undefined): ((x: unknown) => unknown) | undefined {
  return ham !== undefined ? (x) => ham(x) : find_predict(model);
}

/** A run that did not settle within `timeout_lan_chay` (its message is the result's `loi`). */
class LoiHetGioLanChay extends Error {
  override readonly name = 'LoiHetGioLanChay';
  constructor(lan: number, giay: number) {
    super(`run ${lan} timed out: not settled within ${giay} s (timeout_lan_chay)`);
  }
}

/** Resolves on the next check phase of the event loop: timers and I/O run first. */
function nhuong(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export class LamNongModel {
  /** Warm a model on `lay_model` when not warmed yet. */
  readonly tu_dong_lam_nong: boolean;
  /** Seconds between background refresh cycles. */
  readonly thoi_gian_refresh: number;
  /** Prediction runs per warm-up. */
  readonly so_lan_warmup: number;
  /** Seconds one prediction run may take before it counts as failed. */
  readonly timeout_lan_chay: number;
  private readonly models = new Map<string, MucModel>();
  private refresh: PhienRefresh | undefined;

  /** @throws TypeError / RangeError for a bad option (unknown keys included). */
  constructor(tuy_chon?: TuyChonLamNongModel) {
    const c: CauHinhLamNong = giai_tuy_chon(tuy_chon);
    this.tu_dong_lam_nong = c.tu_dong_lam_nong;
    this.thoi_gian_refresh = c.thoi_gian_refresh;
    this.so_lan_warmup = c.so_lan_warmup;
    this.timeout_lan_chay = c.timeout_lan_chay;
    theo_doi(this);
  }

  /**
   * Registers a model (đăng ký model) under `ten`, replacing one of the same
   * name (the new entry starts not warmed; a warm-up still running for the
   * old one no longer affects it).
   * @throws TypeError for a bad name or option, or when sample data is given
   *   but there is no way to predict (no `ham_du_doan`, no `du_doan`/`predict`
   *   method, and the model is not a function).
   */
  dang_ky_model(ten: string, model: unknown, tuy_chon?: TuyChonDangKyModel): void {
    kiem_tra_ten('dang_ky_model', ten);
    if (model === undefined || model === null) throw new TypeError(`dang_ky_model: model ${JSON.stringify(ten)} is ${String(model)}`);
    const t = giai_tuy_chon_dang_ky(tuy_chon);
    const du_doan = timDuDoan(model, t.ham_du_doan);
    const co_chay = t.co_du_lieu_mau || t.ham_du_doan !== undefined;
    if (co_chay && du_doan === undefined) {
      throw new TypeError(`dang_ky_model: model ${JSON.stringify(ten)} has no du_doan or predict method and is not a function; pass ham_du_doan`);
    }
    this.models.set(ten, {
      ten,
      model,
      du_lieu_mau: t.du_lieu_mau,
      co_du_lieu_mau: t.co_du_lieu_mau,
      co_ham_du_doan: t.ham_du_doan !== undefined,
      du_doan: co_chay ? du_doan : undefined,
      tu_dong_refresh: t.tu_dong_refresh,
      thoi_diem_dang_ky: Date.now(),
      da_warmup: false,
      dang_chay: undefined,
      ket_qua_cuoi: null,
      thoi_diem_warmup_cuoi: null,
      so_ok: 0,
      so_loi: 0,
      tong_thoi_gian_ms: 0,
    });
  }

  /**
   * Warms a model (làm nóng): `so_lan_warmup` predictions on its sample
   * data, yielding to the event loop before each. Resolves with the result
   * even when the warm-up failed (`trang_thai: "loi"`); joins a warm-up of
   * the same model that is already running. A model registered without
   * sample data or `ham_du_doan` has nothing to run: `so_lan` 0, "ok".
   * @throws (rejects) LoiKhongCoModel for an unknown name, TypeError for a bad one.
   */
  async lam_nong(ten: string): Promise<KetQuaLamNong> {
    return this.motChuyen(this.layMuc('lam_nong', ten), 'lam_nong');
  }

  /** Warms every registered model, one after the other (lam nóng tất cả). */
  async lam_nong_tat_ca(): Promise<Record<string, KetQuaLamNong>> {
    const ra: Record<string, KetQuaLamNong> = {};
    for (const muc of [...this.models.values()]) ra[muc.ten] = await this.motChuyen(muc, 'lam_nong_tat_ca');
    return ra;
  }

  /**
   * The model (lấy model), warmed first when `tu_dong_lam_nong` and it is
   * not warmed (sharing a warm-up already running). On a warmed model this
   * does not wait for a background refresh.
   * @throws (rejects) LoiKhongCoModel for an unknown name; LoiLamNong when
   *   the warm-up it ran failed (a later call tries again).
   */
  async lay_model(ten: string): Promise<unknown> {
    const muc = this.layMuc('lay_model', ten);
    if (!this.tu_dong_lam_nong || muc.da_warmup) return muc.model;
    const kq = await this.motChuyen(muc, 'lay_model');
    if (kq.trang_thai !== 'ok') throw new LoiLamNong(kq);
    return muc.model;
  }

  /**
   * Starts background refresh: every `thoi_gian_refresh` seconds, re-warms
   * each model registered with `tu_dong_refresh`, one after the other. The
   * next cycle is armed only when the previous one finished. The timer is
   * unref'd: it never keeps the process alive. Idempotent.
   */
  bat_dau_auto_refresh(): void {
    if (this.refresh !== undefined) return;
    const phien: PhienRefresh = { dung: false, hen: undefined };
    this.refresh = phien;
    this.henChuKy(phien, performance.now() + this.thoi_gian_refresh * 1000);
  }

  /**
   * Stops background refresh at once: the timer is cleared, and a cycle in
   * progress stops before its next model (the warm-up running now, which
   * other callers may share, completes). Idempotent.
   */
  dung_auto_refresh(): void {
    const phien = this.refresh;
    if (phien === undefined) return;
    phien.dung = true;
    if (phien.hen !== undefined) clearTimeout(phien.hen);
    phien.hen = undefined;
    this.refresh = undefined;
  }

  /** Removes a model (xóa model); true when one was registered under `ten`. */
  xoa_model(ten: string): boolean {
    kiem_tra_ten('xoa_model', ten);
    return this.models.delete(ten);
  }

  /** A model's state, or undefined when none is registered under `ten`. */
  trang_thai_model(ten: string): TrangThaiModel | undefined {
    kiem_tra_ten('trang_thai_model', ten);
    const m = this.models.get(ten);
    if (m === undefined) return undefined;
    return {
      ten: m.ten,
      da_warmup: m.da_warmup,
      dang_warmup: m.dang_chay !== undefined,
      co_du_lieu_mau: m.co_du_lieu_mau,
      co_ham_du_doan: m.co_ham_du_doan,
      tu_dong_refresh: m.tu_dong_refresh,
      so_lan_lam_nong: m.so_ok + m.so_loi,
      so_lan_loi: m.so_loi,
      thoi_diem_warmup_cuoi: m.thoi_diem_warmup_cuoi,
      ket_qua_cuoi: m.ket_qua_cuoi === null ? null : { ...m.ket_qua_cuoi },
      tong_thoi_gian_warmup_ms: m.tong_thoi_gian_ms,
      thoi_diem_dang_ky: m.thoi_diem_dang_ky,
    };
  }

  /** Registered model names, in registration order (danh sách models). */
  danh_sach_models(): string[] {
    return [...this.models.keys()];
  }

  /** Statistics (thống kê): the seed's keys. */
  thong_ke(): ThongKeLamNong {
    let da = 0;
    let tong = 0;
    for (const m of this.models.values()) {
      if (m.da_warmup) da++;
      tong += m.tong_thoi_gian_ms;
    }
    return {
      so_models: this.models.size,
      da_warmup: da,
      chua_warmup: this.models.size - da,
      tong_thoi_gian_warmup_ms: tong,
      tu_dong_lam_nong: this.tu_dong_lam_nong,
      auto_refresh: this.refresh !== undefined,
    };
  }

  /**
   * Readiness (sẵn sàng): true when every registered model is warmed (true
   * with none registered), or, given names, when each of those is registered
   * and warmed. A plain read: cheap enough for a probe.
   */
  san_sang(ds_ten?: readonly string[]): boolean {
    if (ds_ten === undefined) {
      for (const m of this.models.values()) if (!m.da_warmup) return false;
      return true;
    }
    for (const t of ds_ten) if (this.models.get(t)?.da_warmup !== true) return false;
    return true;
  }

  /**
   * A readiness check function for KiemTraSucKhoe (hàm kiểm tra sẵn sàng):
   * `health.dang_ky_check('models_warm', lam_nong.ham_kiem_tra_san_sang(), 'models warmed', true)`.
   * Pass names to require those models even before they are registered.
   * While a required model's latest warm-up failed, the check throws an
   * error naming it and the reason (the check's `loi`).
   * @throws TypeError when `ds_ten` is not an array of non-empty strings.
   */
  ham_kiem_tra_san_sang(ds_ten?: readonly string[]): () => boolean {
    if (ds_ten !== undefined) {
      if (!Array.isArray(ds_ten)) throw new TypeError('ham_kiem_tra_san_sang: expected an array of model names');
      for (const t of ds_ten) kiem_tra_ten('ham_kiem_tra_san_sang', t);
      const ten = [...ds_ten];
      return () => this.san_sang(ten) || this.neuLoi(ten);
    }
    return () => this.san_sang() || this.neuLoi(undefined);
  }

  /**
   * For a readiness check that is failing: throws an error naming every
   * required model whose latest warm-up failed, with its reason, so the
   * health result says WHICH model holds readiness and why (a plain `false`
   * gives no reason). False when none failed (still warming, or not yet
   * warmed or registered).
   */
  private neuLoi(ds_ten: readonly string[] | undefined): false {
    const hong: string[] = [];
    const ds = ds_ten === undefined ? [...this.models.values()] : ds_ten.map((t) => this.models.get(t));
    for (const m of ds) {
      const kq = m?.ket_qua_cuoi;
      if (m !== undefined && !m.da_warmup && kq?.trang_thai === 'loi') hong.push(`${JSON.stringify(m.ten)} (${kq.loi ?? 'failed'})`);
    }
    if (hong.length > 0) throw new Error(`models not warmed: ${hong.join('; ')}`);
    return false;
  }

  /** @internal the metric source's read (plain fields). */
  so_lieu_metric(): SoLieuModel[] {
    const ra: SoLieuModel[] = [];
    for (const m of this.models.values()) ra.push({ ten: m.ten, da_warmup: m.da_warmup, so_ok: m.so_ok, so_loi: m.so_loi });
    return ra;
  }

  private layMuc(ten_ham: string, ten: string): MucModel {
    kiem_tra_ten(ten_ham, ten);
    const m = this.models.get(ten);
    if (m === undefined) throw new LoiKhongCoModel(ten, [...this.models.keys()]);
    return m;
  }

  /**
   * The single flight: joins the running warm-up of `muc`, or starts one.
   * Every caller gets its own copy of the result.
   */
  private motChuyen(muc: MucModel, ly_do: LyDoLamNong): Promise<KetQuaLamNong> {
    let p = muc.dang_chay;
    if (p === undefined) {
      const moi: Promise<KetQuaLamNong> = this.chayWarmup(muc, ly_do).finally(() => {
        if (muc.dang_chay === moi) muc.dang_chay = undefined;
      });
      muc.dang_chay = p = moi;
    }
    return p.then((k) => ({ ...k }));
  }

  /** One warm-up in its span. Never rejects. */
  private chayWarmup(muc: MucModel, ly_do: LyDoLamNong): Promise<KetQuaLamNong> {
    const attrs = { model_name: muc.ten, 'lam_nong.ly_do': ly_do, 'lam_nong.so_lan_warmup': this.so_lan_warmup };
    // Refresh cycles start from a timer that captured whatever context armed
    // it: their spans are roots, not children of some old request.
    const tuy_chon = { attributes: attrs, root: ly_do === 'refresh' };
    let ra: Promise<KetQuaLamNong> | undefined;
    an_toan(() => {
      tracer().startActiveSpan(`lam_nong ${muc.ten}`, tuy_chon, (span) => (ra = this.cacLanChay(muc, span, ly_do)));
    });
    // Only if the tracer failed before calling back: warm up without a span.
    return ra ?? this.cacLanChay(muc, undefined, ly_do);
  }

  private async cacLanChay(muc: MucModel, span: Span | undefined, ly_do: LyDoLamNong): Promise<KetQuaLamNong> {
    // A caller awaits a warm-up it started, so its deadline keeps the process
    // alive (the code after the await runs); a background refresh must not.
    const giu_song = ly_do !== 'refresh';
    const han_ms = this.timeout_lan_chay * 1000;
    const bat_dau = performance.now();
    let so_lan = 0;
    let loi: string | null = null;
    const f = muc.du_doan;
    if (f !== undefined) {
      for (let i = 1; i <= this.so_lan_warmup; i++) {
        await nhuong();
        const t0 = performance.now();
        try {
          const r = await race_deadline(
            new Promise((ok) => ok(f(muc.du_lieu_mau))),
            han_ms,
            giu_song,
          );
          if (r.kind === 'timed_out') throw new LoiHetGioLanChay(i, this.timeout_lan_chay);
          so_lan++;
          if (span !== undefined) them_su_kien(span, 'lam_nong.lan_chay', { 'lam_nong.lan': i, 'lam_nong.thoi_gian_ms': performance.now() - t0, 'lam_nong.ket_qua': 'ok' });
        } catch (e) {
          loi = error_text(e);
          if (span !== undefined) {
            them_su_kien(span, 'lam_nong.lan_chay', { 'lam_nong.lan': i, 'lam_nong.thoi_gian_ms': performance.now() - t0, 'lam_nong.ket_qua': 'loi', 'lam_nong.loi': loi });
            an_toan(() => span.recordException(e instanceof Error ? e : loi ?? 'error'));
          }
          // A failing model is not hammered with the remaining runs.
          break;
        }
      }
    }
    const thoi_gian_ms = performance.now() - bat_dau;
    const kq: KetQuaLamNong = { ten: muc.ten, thoi_gian_ms, so_lan, trang_thai: loi === null ? 'ok' : 'loi', loi };
    muc.da_warmup = kq.trang_thai === 'ok';
    muc.ket_qua_cuoi = kq;
    muc.thoi_diem_warmup_cuoi = Date.now();
    muc.tong_thoi_gian_ms += thoi_gian_ms;
    if (loi === null) muc.so_ok++;
    else muc.so_loi++;
    ghi_thoi_gian(muc.ten, thoi_gian_ms, kq.trang_thai);
    ghi_su_kien_model(loi === null ? 'warmup_ok' : 'warmup_loi', muc.ten, { thoi_gian_ms, so_lan, ...(loi === null ? {} : { loi }) }, loi !== null);
    if (span !== undefined) {
      an_toan(() => {
        span.setAttributes({ 'lam_nong.trang_thai': kq.trang_thai, 'lam_nong.so_lan': so_lan, 'lam_nong.thoi_gian_ms': thoi_gian_ms });
        if (loi !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: loi });
        span.end();
      });
    }
    return kq;
  }

  /**
   * Arms the refresh timer for deadline `han` (performance.now() ms). Long
   * periods are waited in chunks: Node turns a delay over 2^31-1 ms into 1 ms.
   */
  private henChuKy(phien: PhienRefresh, han: number): void {
    if (phien.dung) return;
    const con_lai = han - performance.now();
    if (con_lai > 0) {
      phien.hen = setTimeout(() => this.henChuKy(phien, han), Math.min(Math.ceil(con_lai), HEN_GIO_TOI_DA_MS));
      phien.hen.unref();
      return;
    }
    phien.hen = undefined;
    void this.chuKy(phien).finally(() => this.henChuKy(phien, performance.now() + this.thoi_gian_refresh * 1000));
  }

  /** One refresh cycle over the models with `tu_dong_refresh`, stopping early on dung_auto_refresh. */
  private async chuKy(phien: PhienRefresh): Promise<void> {
    for (const muc of [...this.models.values()]) {
      if (phien.dung) return;
      if (!muc.tu_dong_refresh || this.models.get(muc.ten) !== muc) continue;
      await this.motChuyen(muc, 'refresh');
    }
  }
}
