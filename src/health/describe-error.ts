/**
 * Turns anything a check threw (an Error, a string, an object, a Symbol, an
 * object whose toString throws) into a short message, so a check result
 * always carries a readable `loi` and rendering it never throws.
 * Secret-looking keys of a thrown object are redacted like log data.
 */
import { BoCheKhoa, KHOA_BI_MAT_MAC_DINH } from '../core/redaction.js';
import { BoTuanTu } from '../core/serializer.js';

const MAX_LENGTH = 500;
/**
 * A thrown object is written with the same serialiser and redaction rule as
 * log data: its text goes to the span event `suc_khoe.check.loi` on every
 * run, and `{ password: ... }` must not ride along.
 */
const serializer = new BoTuanTu(new BoCheKhoa(KHOA_BI_MAT_MAC_DINH, MAX_LENGTH), { do_dai_chuoi: MAX_LENGTH, do_sau: 3, so_phan_tu: 20 });

function truncate(s: string): string {
  return s.length > MAX_LENGTH ? `${s.slice(0, MAX_LENGTH)}…` : s;
}

export function describe_error(e: unknown): string {
  try {
    if (e instanceof Error) {
      const message = typeof e.message === 'string' && e.message !== '' ? e.message : '';
      return truncate(message === '' ? e.name : e.name === 'Error' ? message : `${e.name}: ${message}`);
    }
    if (typeof e === 'string') return truncate(e === '' ? '(empty string thrown)' : e);
    if (e === undefined) return 'undefined thrown';
    if (typeof e === 'object' && e !== null) {
      serializer.bat_dau_ban_ghi();
      return truncate(`non-Error thrown: ${serializer.gia_tri(e)}`);
    }
    return truncate(`non-Error thrown: ${String(e)}`);
  } catch {
    return 'unprintable value thrown';
  }
}
