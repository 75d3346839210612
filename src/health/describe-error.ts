/**
 * Turns anything a check threw (an Error, a string, an object, a Symbol, an
 * object whose toString throws) into a short message (mô tả lỗi), so a check
 * result always carries a readable `loi` and rendering it never throws.
 * Secret-looking keys of a thrown object are redacted like log data.
 */
import { BoCheKhoa, KHOA_BI_MAT_MAC_DINH } from '../core/redaction.js';
import { BoTuanTu } from '../core/serializer.js';

const DAI_TOI_DA = 500;
/**
 * A thrown object is written with the same serialiser and redaction rule as
 * log data: its text goes to the span event `suc_khoe.check.loi` on every
 * run, and `{ password: ... }` must not ride along.
 */
const tuanTu = new BoTuanTu(new BoCheKhoa(KHOA_BI_MAT_MAC_DINH, DAI_TOI_DA), { do_dai_chuoi: DAI_TOI_DA, do_sau: 3, so_phan_tu: 20 });

function cat(s: string): string {
  return s.length > DAI_TOI_DA ? `${s.slice(0, DAI_TOI_DA)}…` : s;
}

export function mo_ta_loi(e: unknown): string {
  try {
    if (e instanceof Error) {
      const m = typeof e.message === 'string' && e.message !== '' ? e.message : '';
      return cat(m === '' ? e.name : e.name === 'Error' ? m : `${e.name}: ${m}`);
    }
    if (typeof e === 'string') return cat(e === '' ? '(empty string thrown)' : e);
    if (e === undefined) return 'undefined thrown';
    if (typeof e === 'object' && e !== null) {
      tuanTu.bat_dau_ban_ghi();
      return cat(`non-Error thrown: ${tuanTu.gia_tri(e)}`);
    }
    return cat(`non-Error thrown: ${String(e)}`);
  } catch {
    return 'unprintable value thrown';
  }
}
