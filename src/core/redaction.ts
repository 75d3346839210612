/**
 * Redaction of secret-looking keys (the `che_khoa` option: "mask the keys").
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
import { quote_json, truncate_string } from './json-string.js';

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

/** Lower case, letters and digits only: `X-Api-Key` -> `xapikey`. */
function compact(k: string): string {
  return k.replace(/[^A-Za-z0-9]+/g, '').toLowerCase();
}

/** Most distinct keys remembered; past that, decisions are computed each time (still correct). */
const CACHE_MAX_ENTRIES = 4096;
/** Most characters (keys + prefixes) the cache holds: about 2 MB at worst. */
const CACHE_MAX_CHARS = 1 << 20;
/** Longer keys are never cached (computed each time: rare, and each would cost its own length). */
const CACHE_MAX_KEY_LENGTH = 256;

/**
 * A compiled redaction rule. `tien_to(k)` returns the escaped JSON prefix
 * `"k":` of a key that may be written, or `undefined` when its value must
 * be replaced by `[REDACTED]`.
 */
export class BoCheKhoa {
  /** The terms, lower case without separators. */
  private readonly terms: readonly string[];
  /** Key -> its `"k":` prefix, or null when redacted. */
  private readonly prefixCache = new Map<string, string | null>();
  private cachedChars = 0;
  /** True when nothing is ever redacted (che_khoa: false). */
  readonly tat: boolean;

  /**
   * @param key_terms the `che_khoa` option: key terms, or false for no redaction.
   * @param max_key_length longest key written (characters); longer keys are cut with a marker, like values.
   */
  constructor(
    key_terms: readonly string[] | false,
    private readonly maxKeyLength = 32_768,
  ) {
    if (key_terms === false) {
      this.terms = [];
      this.tat = true;
      return;
    }
    if (!Array.isArray(key_terms)) throw new TypeError('che_khoa must be an array of key terms or false');
    const terms: string[] = [];
    for (const term of key_terms) {
      if (typeof term !== 'string' || chuan_hoa_khoa(term) === '') {
        throw new TypeError(`che_khoa: every term must be a non-empty string of letters/digits, got ${JSON.stringify(term)}`);
      }
      terms.push(compact(term));
    }
    this.terms = terms;
    this.tat = terms.length === 0;
  }

  /** Whether key `k` looks secret (uncached; for tests and docs). */
  la_bi_mat(k: string): boolean {
    if (this.tat) return false;
    const key = compact(k);
    for (const term of this.terms) if (key.endsWith(term)) return true;
    return false;
  }

  /** `"k":` (escaped) when the key may be written, `undefined` when its value is redacted. */
  tien_to(k: string): string | undefined {
    const cached = this.prefixCache.get(k);
    if (cached !== undefined) return cached === null ? undefined : cached;
    const prefix = this.la_bi_mat(k) ? null : this.tien_to_che(k);
    const chars = k.length + (prefix === null ? 0 : prefix.length);
    if (k.length <= CACHE_MAX_KEY_LENGTH && this.prefixCache.size < CACHE_MAX_ENTRIES && this.cachedChars + chars <= CACHE_MAX_CHARS) {
      this.prefixCache.set(k, prefix);
      this.cachedChars += chars;
    }
    return prefix === null ? undefined : prefix;
  }

  /** `"k":` for any key (escaped, cut like a value): what a redacted key is written as. Uncached. */
  tien_to_che(k: string): string {
    return `${quote_json(truncate_string(k, this.maxKeyLength))}:`;
  }
}
