/**
 * Turns anything a check threw (an Error, a string, an object, a Symbol, an
 * object whose toString throws) into a short message, so a check result
 * always carries a readable `loi` and rendering it never throws.
 * Secret-looking keys of a thrown object are redacted like log data.
 */
import { BoCheKhoa, KHOA_BI_MAT_MAC_DINH } from '../core/redaction.js';
import { RecordSerializer } from '../core/serializer.js';

const MAX_LENGTH = 500;
/**
 * A thrown object is written with the same serialiser and redaction rule as
 * log data: its text goes to the span event `suc_khoe.check.loi` on every
 * run, and `{ password: ... }` must not ride along.
 */
const serializer = new RecordSerializer(new BoCheKhoa(KHOA_BI_MAT_MAC_DINH, MAX_LENGTH), { max_string: MAX_LENGTH, max_depth: 3, max_items: 20 });

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
      serializer.begin_record();
      return truncate(`non-Error thrown: ${serializer.value(e)}`);
    }
    return truncate(`non-Error thrown: ${String(e)}`);
  } catch {
    return 'unprintable value thrown';
  }
}
