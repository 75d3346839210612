/**
 * Turns anything a check threw (an Error, a string, an object, a Symbol, an
 * object whose toString throws) into a short message (mô tả lỗi), so a check
 * result always carries a readable `loi` and rendering it never throws.
 */
import { configure } from 'safe-stable-stringify';

const chuoiHoa = configure({ bigint: true, circularValue: '[Circular]', deterministic: false, maximumDepth: 3, maximumBreadth: 20 });
const DAI_TOI_DA = 500;

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
    if (typeof e === 'object' && e !== null) return cat(`non-Error thrown: ${chuoiHoa(e) ?? String(e)}`);
    return cat(`non-Error thrown: ${String(e)}`);
  } catch {
    return 'unprintable value thrown';
  }
}
