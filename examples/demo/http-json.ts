/**
 * Small JSON-over-HTTP helpers shared by both services: a bounded body
 * reader (a slow or huge body cannot exhaust memory) and a JSON reply.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body accepted (bytes). */
export const THAN_TOI_DA = 64 * 1024;

/** An HTTP error with the status to answer (lỗi HTTP). */
export class LoiHttp extends Error {
  override readonly name = 'LoiHttp';
  constructor(
    readonly ma: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a JSON object body (đọc thân JSON); rejects with LoiHttp 400/413/415. */
export function doc_than_json(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ct = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(ct)) {
      req.resume();
      reject(new LoiHttp(415, 'content-type must be application/json'));
      return;
    }
    const phan: Buffer[] = [];
    let do_dai = 0;
    req.on('data', (c: Buffer) => {
      do_dai += c.length;
      if (do_dai > THAN_TOI_DA) {
        reject(new LoiHttp(413, `body larger than ${THAN_TOI_DA} bytes`));
        req.destroy();
        return;
      }
      phan.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      let v: unknown;
      try {
        v = JSON.parse(Buffer.concat(phan).toString('utf8'));
      } catch {
        reject(new LoiHttp(400, 'body is not valid JSON'));
        return;
      }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) reject(new LoiHttp(400, 'body must be a JSON object'));
      else resolve(v as Record<string, unknown>);
    });
  });
}

/** The `text` field of a prediction request, validated. */
export function lay_van_ban(than: Record<string, unknown>, toi_da: number): string {
  const t = than.text;
  if (typeof t !== 'string') throw new LoiHttp(400, 'field "text" must be a string');
  if (t.trim() === '') throw new LoiHttp(400, 'field "text" must not be empty');
  if (t.length > toi_da) throw new LoiHttp(413, `field "text" longer than ${toi_da} characters`);
  return t;
}

/** Answers with a JSON body (trả JSON). */
export function tra_json(res: ServerResponse, ma: number, than: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const s = JSON.stringify(than);
  res.writeHead(ma, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(s), ...headers }).end(s);
}
