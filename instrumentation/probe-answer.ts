/**
 * The shape of an endpoint's answer and its two bodies (JSON, plain text),
 * shared by every probe endpoint so they all send the same headers.
 */

/** An HTTP answer (phản hồi): status code (mã), headers, body (thân). */
export interface PhanHoi {
  ma: number;
  headers: Record<string, string>;
  than: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** A JSON answer, never cached. */
export function json_answer(status: number, body: unknown, contentType = JSON_TYPE): PhanHoi {
  return { ma: status, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, than: `${JSON.stringify(body)}\n` };
}

/** A plain-text answer, never cached. */
export function text_answer(status: number, body: string, contentType = TEXT_TYPE): PhanHoi {
  return { ma: status, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, than: body };
}
