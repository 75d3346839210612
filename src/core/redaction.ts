/**
 * Redaction (che khóa = "mask the keys") of secret-looking keys.
 *
 * WHY a suffix rule instead of "contains": an AI service logs
 * `prompt_tokens`, `max_tokens` and `token_count` all day; a substring match
 * on "token" would blank out exactly the numbers people want to see. So a key
 * is secret when, normalised to lower case with every separator dropped
 * (`apiKey`, `API-Key`, `api_key` and `XAPIKey` all end in `apikey`), it ENDS
 * with a term (itself without separators): `access_token`, `accesstoken`,
 * `refreshToken`, `X-Api-Key`, `db_password`, `Set-Cookie`,
 * `aws_secret_access_key` are redacted; `token_count`, `prompt_tokens`,
 * `author` are not.
 *
 * WHY a cache: the decision (and the key's escaped JSON prefix) is computed
 * once per distinct key and kept in a bounded Map, so the hot path pays one
 * `Map.get` per key instead of a normalisation. The cache is bounded in
 * entries AND in characters, and keeps only short keys: keys are attacker
 * text too (a request's field names), and 4096 keys of 100 KB each must not
 * pin 800 MB. Keys are written escaped and cut like values.
 */
import { cat_chuoi, chuoi_json } from './json-string.js';

/** The default terms: what a key must equal or end with (after normalising) to be redacted. */
export const KHOA_BI_MAT_MAC_DINH: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'token',
  'jwt',
  'bearer',
  'auth',
  'authorization',
  'api_key',
  'access_key',
  'secret',
  'secret_key',
  'cookie',
  'cookies',
  'session_id',
  'private_key',
  'credential',
  'credentials',
]);

/** What replaces a redacted value, in the JSON line and in the OTel record. */
export const GIA_TRI_DA_CHE = '[REDACTED]';

/** Lower snake_case: `apiKey` -> `api_key`, `X-Api-Key` -> `x_api_key`. */
export function chuan_hoa_khoa(k: string): string {
  return k
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** Lower case, letters and digits only (gọn = compact): `X-Api-Key` -> `xapikey`. */
function gon(k: string): string {
  return k.replace(/[^A-Za-z0-9]+/g, '').toLowerCase();
}

/** Most distinct keys remembered; past that, decisions are computed each time (still correct). */
const GIOI_HAN_CACHE = 4096;
/** Most characters (keys + prefixes) the cache holds: about 2 MB at worst. */
const GIOI_HAN_CACHE_KY_TU = 1 << 20;
/** Longer keys are never cached (computed each time: rare, and each would cost its own length). */
const KHOA_CACHE_TOI_DA = 256;

/**
 * A compiled redaction rule. `tien_to(k)` returns the escaped JSON prefix
 * `"k":` of a key that may be written, or `undefined` when its value must
 * be replaced by `[REDACTED]`.
 */
export class BoCheKhoa {
  /** The terms, lower case without separators. */
  private readonly tu: readonly string[];
  private readonly cache = new Map<string, string | null>();
  private kyTuCache = 0;
  /** True when nothing is ever redacted (che_khoa: false). */
  readonly tat: boolean;

  /** @param do_dai_khoa longest key written (characters); longer keys are cut with a marker, like values. */
  constructor(
    tu_khoa: readonly string[] | false,
    private readonly do_dai_khoa = 32_768,
  ) {
    if (tu_khoa === false) {
      this.tu = [];
      this.tat = true;
      return;
    }
    if (!Array.isArray(tu_khoa)) throw new TypeError('che_khoa must be an array of key terms or false');
    const ds: string[] = [];
    for (const t of tu_khoa) {
      if (typeof t !== 'string' || chuan_hoa_khoa(t) === '') {
        throw new TypeError(`che_khoa: every term must be a non-empty string of letters/digits, got ${JSON.stringify(t)}`);
      }
      ds.push(gon(t));
    }
    this.tu = ds;
    this.tat = ds.length === 0;
  }

  /** Whether key `k` looks secret (uncached; for tests and docs). */
  la_bi_mat(k: string): boolean {
    if (this.tat) return false;
    const n = gon(k);
    for (const t of this.tu) if (n.endsWith(t)) return true;
    return false;
  }

  /** `"k":` (escaped) when the key may be written, `undefined` when its value is redacted. */
  tien_to(k: string): string | undefined {
    const c = this.cache.get(k);
    if (c !== undefined) return c === null ? undefined : c;
    const v = this.la_bi_mat(k) ? null : this.tien_to_che(k);
    const ky_tu = k.length + (v === null ? 0 : v.length);
    if (k.length <= KHOA_CACHE_TOI_DA && this.cache.size < GIOI_HAN_CACHE && this.kyTuCache + ky_tu <= GIOI_HAN_CACHE_KY_TU) {
      this.cache.set(k, v);
      this.kyTuCache += ky_tu;
    }
    return v === null ? undefined : v;
  }

  /** `"k":` for any key (escaped, cut like a value): what a redacted key is written as. Uncached. */
  tien_to_che(k: string): string {
    return `${chuoi_json(cat_chuoi(k, this.do_dai_khoa))}:`;
  }
}
