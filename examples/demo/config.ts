/**
 * The demo's configuration (cấu hình) from the environment. Ports are
 * validated here so a typo fails at start with the variable's name.
 */

function cong(bien: string, mac_dinh: number): number {
  const v = process.env[bien];
  if (v === undefined || v.trim() === '') return mac_dinh;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new RangeError(`${bien}: expected a port number 0-65535, got ${JSON.stringify(v)}`);
  return n;
}

function so_ms(bien: string, mac_dinh: number): number {
  const v = process.env[bien];
  if (v === undefined || v.trim() === '') return mac_dinh;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${bien}: expected milliseconds >= 0, got ${JSON.stringify(v)}`);
  return n;
}

export interface CauHinhDemo {
  /** Interface both services bind (HOST, default 127.0.0.1). */
  host: string;
  /** The gateway's port (PORT, default 8080). */
  port: number;
  /** The model service's port (MODEL_PORT, default 8081). */
  model_port: number;
  /** The model service's base URL as the gateway calls it (MODEL_URL). */
  model_url: string;
  /** Drain delay on SIGTERM before the server closes (DRAIN_MS, default 1000). */
  drain_ms: number;
}

export function doc_cau_hinh(): CauHinhDemo {
  const host = process.env.HOST?.trim() || '127.0.0.1';
  const model_port = cong('MODEL_PORT', 8081);
  return {
    host,
    port: cong('PORT', 8080),
    model_port,
    model_url: (process.env.MODEL_URL?.trim() || `http://${host}:${model_port}`).replace(/\/+$/, ''),
    drain_ms: so_ms('DRAIN_MS', 1000),
  };
}
