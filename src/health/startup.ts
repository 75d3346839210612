/**
 * Start-up tracking for KiemTraSucKhoe: which checks marked for start-up
 * (`khoi_dong`) have passed at least once. Kubernetes' startupProbe holds
 * back the liveness probe until it succeeds, so the answer latches: once
 * every marked check has passed, the service has started for good, whatever
 * those checks say later (readiness is the probe that follows them).
 */
import type { KetQuaKiemTra } from './types.js';

/** What the tracker reads of a registered check. */
interface CheckKhoiDong {
  readonly ten: string;
  readonly khoi_dong: boolean;
}

export class TheoDoiKhoiDong {
  /** Marked checks seen `ok` in some run. Bounded by the number of checks registered. */
  private readonly daQua = new Set<string>();
  private daXong = false;

  /** Notes the marked checks that passed in a finished run. */
  ghi_nhan(kq: KetQuaKiemTra): void {
    if (this.daXong) return;
    for (const [ten, ct] of Object.entries(kq.chi_tiet)) if (ct.trang_thai === 'ok') this.daQua.add(ten);
  }

  /** The marked checks (among `checks`) not yet seen passing. */
  con_cho(checks: Iterable<CheckKhoiDong>): string[] {
    if (this.daXong) return [];
    const ra: string[] = [];
    for (const c of checks) if (c.khoi_dong && !this.daQua.has(c.ten)) ra.push(c.ten);
    return ra;
  }

  /** True once every marked check has passed (latched; the set is then dropped). */
  xong(checks: Iterable<CheckKhoiDong>): boolean {
    if (this.daXong) return true;
    if (this.con_cho(checks).length > 0) return false;
    this.daXong = true;
    this.daQua.clear();
    return true;
  }
}
