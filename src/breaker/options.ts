/**
 * The options of `MachCat` (tùy chọn) and their checking. Bad options fail
 * at construction with a TypeError/RangeError naming the option, because a
 * breaker built from a typo (`so_loi_toi_da: "5"`, a negative timeout) would
 * otherwise misbehave only under load, when it matters most.
 */

/** Options of `new MachCat({...})`; every one optional, seed defaults. */
export interface TuyChonMachCat {
  /** Failures within the window that open the circuit (số lỗi tối đa). Integer >= 1; default 5. */
  so_loi_toi_da?: number;
  /** Seconds the circuit stays open before one trial call (timeout phục hồi). Finite, >= 0; default 30. */
  timeout_phuc_hoi?: number;
  /** The sliding window in seconds (cửa sổ thời gian). Finite, > 0; default 60. */
  cua_so_thoi_gian?: number;
  /**
   * Called with the call's arguments instead of refusing (hàm fallback). Its
   * result (or rejection, or thrown error) becomes the call's.
   */
  ham_fallback?: (...args: never[]) => unknown;
  /** The breaker's name (tên) in errors, span events, logs and metrics. Default "default". */
  ten?: string;
  /**
   * Time limit of the half-open trial in seconds (timeout thử). A trial that
   * has not settled by then counts as a failure and the circuit opens again,
   * so a hung call never leaves the breaker stuck. Finite, > 0; default
   * `timeout_phuc_hoi` (or 30 when that is 0).
   */
  timeout_thu?: number;
  /** Wrap every protected call in its own span `machcat <ten>` (tạo span). Default false. */
  tao_span?: boolean;
  /**
   * The clock (đồng hồ): monotonic milliseconds. Default `performance.now`.
   * Tests inject one to step time without sleeping. Its first reading is
   * checked at construction (a finite number, or a TypeError naming
   * `dong_ho`); later, a reading that goes backwards, is not a finite number
   * or throws counts as no time passing.
   */
  dong_ho?: () => number;
}

/** Checked options, durations in ms. */
export interface CauHinhMachCat {
  readonly so_loi_toi_da: number;
  readonly phuc_hoi_ms: number;
  readonly cua_so_ms: number;
  readonly thu_ms: number;
  readonly ham_fallback: ((...args: unknown[]) => unknown) | undefined;
  readonly ten: string;
  readonly tao_span: boolean;
  readonly dong_ho: () => number;
  /** The clock's first reading (checked: a finite number). */
  readonly doc_dau: number;
}

const KHOA = new Set(['so_loi_toi_da', 'timeout_phuc_hoi', 'cua_so_thoi_gian', 'ham_fallback', 'ten', 'timeout_thu', 'tao_span', 'dong_ho']);

function soGiay(ten: string, v: unknown, macDinh: number, choPhepKhong: boolean): number {
  if (v === undefined) return macDinh;
  if (typeof v !== 'number') throw new TypeError(`MachCat: ${ten} must be a number of seconds, got ${typeof v}`);
  if (!Number.isFinite(v) || v < 0 || (!choPhepKhong && v === 0)) {
    throw new RangeError(`MachCat: ${ten} must be a finite number of seconds ${choPhepKhong ? '>= 0' : '> 0'}, got ${v}`);
  }
  return v;
}

const dongHoMacDinh = (): number => performance.now();

/** Checks `t` and fills in the defaults. */
export function giai_tuy_chon(t: TuyChonMachCat | undefined): CauHinhMachCat {
  if (t === undefined) t = {};
  if (t === null || typeof t !== 'object') throw new TypeError(`MachCat: options must be an object, got ${t === null ? 'null' : typeof t}`);
  for (const k of Object.keys(t)) if (!KHOA.has(k)) throw new TypeError(`MachCat: unknown option ${JSON.stringify(k)} (known: ${[...KHOA].join(', ')})`);

  const n = t.so_loi_toi_da ?? 5;
  if (typeof n !== 'number') throw new TypeError(`MachCat: so_loi_toi_da must be a number, got ${typeof n}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`MachCat: so_loi_toi_da must be an integer >= 1, got ${n}`);
  if (n > 1_000_000) throw new RangeError(`MachCat: so_loi_toi_da must be at most 1000000, got ${n}`);

  const phucHoi = soGiay('timeout_phuc_hoi', t.timeout_phuc_hoi, 30, true);
  const cuaSo = soGiay('cua_so_thoi_gian', t.cua_so_thoi_gian, 60, false);
  const thu = soGiay('timeout_thu', t.timeout_thu, phucHoi > 0 ? phucHoi : 30, false);

  if (t.ham_fallback !== undefined && typeof t.ham_fallback !== 'function') {
    throw new TypeError(`MachCat: ham_fallback must be a function, got ${t.ham_fallback === null ? 'null' : typeof t.ham_fallback}`);
  }
  const ten = t.ten ?? 'default';
  if (typeof ten !== 'string' || ten === '') throw new TypeError(`MachCat: ten must be a non-empty string, got ${JSON.stringify(ten)}`);
  if (t.tao_span !== undefined && typeof t.tao_span !== 'boolean') throw new TypeError(`MachCat: tao_span must be a boolean, got ${typeof t.tao_span}`);
  if (t.dong_ho !== undefined && typeof t.dong_ho !== 'function') throw new TypeError(`MachCat: dong_ho must be a function returning milliseconds, got ${typeof t.dong_ho}`);
  const dong_ho = t.dong_ho ?? dongHoMacDinh;
  const doc_dau = docDau(dong_ho);

  return {
    so_loi_toi_da: n,
    phuc_hoi_ms: phucHoi * 1000,
    cua_so_ms: cuaSo * 1000,
    thu_ms: thu * 1000,
    ham_fallback: t.ham_fallback as ((...args: unknown[]) => unknown) | undefined,
    ten,
    tao_span: t.tao_span ?? false,
    dong_ho,
    doc_dau,
  };
}

/**
 * The clock's first reading, or a TypeError naming `dong_ho`: a clock that
 * returns a BigInt (`process.hrtime.bigint`), NaN or a string would
 * otherwise fail later, inside a promise callback (an unhandled rejection)
 * or silently (a breaker that never opens).
 */
function docDau(dong_ho: () => number): number {
  let v: unknown;
  try {
    v = dong_ho();
  } catch (e) {
    throw new TypeError(`MachCat: dong_ho threw on its first reading: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    const mo_ta = typeof v === 'number' ? String(v) : typeof v === 'bigint' ? `a bigint (${String(v)}n)` : typeof v;
    throw new TypeError(`MachCat: dong_ho must return a finite number of milliseconds, got ${mo_ta}`);
  }
  return v;
}
