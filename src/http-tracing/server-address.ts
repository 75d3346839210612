/**
 * Where an incoming request was addressed (`server.address`/`server.port`)
 * and who sent it (`client.address`), from Forwarded, X-Forwarded-* and Host,
 * in the order OTel's HTTP instrumentation reads them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { defaultPort as schemePort } from './semconv.js';

export interface HostPort {
  host: string;
  port: string | undefined;
}

/** `host[:port]` (IPv6 in brackets), the port defaulted from the scheme. */
export function parseHostHeader(value: string, proto: string | undefined): HostPort {
  const defaultPort = schemePort(proto);
  const parts = value.split(':');
  if (parts.length === 1) return { host: value, port: defaultPort };
  if (parts.length === 2) return { host: parts[0] as string, port: parts[1] };
  if (value.startsWith('[')) {
    if (value.endsWith(']')) return { host: value, port: defaultPort };
    const close = value.lastIndexOf(']:');
    if (close !== -1) return { host: value.slice(0, close + 1), port: value.slice(close + 2) };
  }
  return { host: value, port: undefined };
}

/** The first Forwarded element's parameters (RFC 7239), lower-cased keys, quotes removed. */
function firstForwarded(header: string): Map<string, string> {
  const params = new Map<string, string>();
  const first = header.split(',')[0] ?? '';
  for (const pair of first.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    let v = pair.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    params.set(pair.slice(0, eq).trim().toLowerCase(), v);
  }
  return params;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function serverAddress(headers: IncomingHttpHeaders, scheme: string): HostPort | undefined {
  const fwd = headers.forwarded;
  if (typeof fwd === 'string') {
    const p = firstForwarded(fwd);
    const host = p.get('host');
    if (host !== undefined) return parseHostHeader(host, p.get('proto'));
  }
  const xfh = first(headers['x-forwarded-host']);
  if (typeof xfh === 'string' && xfh !== '') return parseHostHeader(xfh, first(headers['x-forwarded-proto']));
  const host = headers.host;
  return typeof host === 'string' && host !== '' ? parseHostHeader(host, scheme) : undefined;
}

function withoutPort(v: string): string {
  try {
    const h = new URL(`http://${v}`).hostname;
    return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  } catch {
    return v;
  }
}

export function clientAddress(headers: IncomingHttpHeaders, remote: string | undefined): string | undefined {
  const fwd = headers.forwarded;
  if (typeof fwd === 'string') {
    const f = firstForwarded(fwd).get('for');
    if (f !== undefined) return withoutPort(f);
  }
  const xff = first(headers['x-forwarded-for']);
  if (typeof xff === 'string') return withoutPort((xff.split(',')[0] ?? '').trim());
  return remote;
}
