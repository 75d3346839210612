/**
 * Text to features (đặc trưng): the part of the model that runs in
 * TypeScript, before the ONNX graph. NFC-normalised, lower-cased word
 * tokens and word bigrams are hashed (FNV-1a, signed) into a fixed-size
 * float32 vector, then L2-normalised.
 *
 * Why bigrams: Vietnamese words are often two syllables ("điện thoại") and
 * negation is a preceding word ("không tốt"); single syllables lose both.
 * Why NFC: the same accented letter can arrive precomposed or as a base
 * letter plus combining marks (macOS input, some web forms); without
 * normalisation they hash differently.
 */

/** Size of the feature vector (số chiều: dimensions). */
export const SO_CHIEU = 512;

/** The word tokens of a text: NFC, lower case, runs of letters or digits. */
export function tach_tu(van_ban: string): string[] {
  return van_ban.normalize('NFC').toLocaleLowerCase('vi').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/** FNV-1a over UTF-16 code units (the text is NFC already). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A sparse feature vector: indices (chỉ số) and values (giá trị), L2 norm 1 (or empty). */
export interface DacTrungThua {
  readonly chi_so: number[];
  readonly gia_tri: number[];
}

/** The sparse features of one text (used for training, where sparsity is speed). */
export function dac_trung_thua(van_ban: string, so_chieu = SO_CHIEU): DacTrungThua {
  const tu = tach_tu(van_ban);
  const khoa: string[] = tu.map((t) => `u:${t}`);
  for (let i = 0; i + 1 < tu.length; i++) khoa.push(`b:${tu[i]} ${tu[i + 1]}`);
  const tong = new Map<number, number>();
  for (const k of khoa) {
    const h = fnv1a(k);
    const i = h % so_chieu;
    // The sign from a high bit: collisions then cancel out on average.
    const dau = h & 0x80000000 ? -1 : 1;
    tong.set(i, (tong.get(i) ?? 0) + dau);
  }
  const chi_so = [...tong.keys()].sort((a, b) => a - b);
  const gia_tri = chi_so.map((i) => tong.get(i) as number);
  const chuan = Math.hypot(...gia_tri);
  return { chi_so, gia_tri: chuan > 0 ? gia_tri.map((v) => v / chuan) : gia_tri };
}

/**
 * Dense float32 features of a batch, row-major `[van_ban.length, so_chieu]`:
 * the ONNX model's input tensor.
 */
export function dac_trung_day(ds_van_ban: readonly string[], so_chieu = SO_CHIEU): Float32Array {
  const ra = new Float32Array(ds_van_ban.length * so_chieu);
  ds_van_ban.forEach((v, hang) => {
    const d = dac_trung_thua(v, so_chieu);
    d.chi_so.forEach((i, k) => {
      ra[hang * so_chieu + i] = d.gia_tri[k] as number;
    });
  });
  return ra;
}
