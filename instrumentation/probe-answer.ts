/**
 * The shape of an endpoint's answer and its two bodies (JSON, plain text),
 * shared by every probe endpoint so they all send the same headers.
 */

/** An HTTP answer: status code, headers, body (phản hồi). */
export interface PhanHoi {
  ma: number;
  headers: Record<string, string>;
  than: string;
}

const JSON_CT = 'application/json; charset=utf-8';
const TEXT_CT = 'text/plain; charset=utf-8';

/** A JSON answer, never cached. */
export function json_phan_hoi(ma: number, body: unknown, ct = JSON_CT): PhanHoi {
  return { ma, headers: { 'content-type': ct, 'cache-control': 'no-store' }, than: `${JSON.stringify(body)}\n` };
}

/** A plain-text answer, never cached. */
export function text_phan_hoi(ma: number, body: string, ct = TEXT_CT): PhanHoi {
  return { ma, headers: { 'content-type': ct, 'cache-control': 'no-store' }, than: body };
}
