/**
 * The resource (tài nguyên) every signal carries: service name/version, the
 * process, the host, OTEL_RESOURCE_ATTRIBUTES, and the SDK's own identity.
 */
import { defaultResource, detectResources, hostDetector, processDetector, resourceFromAttributes, serviceInstanceIdDetector, type Resource } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { CauHinh } from './cau-hinh.js';

/**
 * Detected attributes never exported: a command line can carry secrets
 * (tokens passed as flags), and it bloats every `target_info`.
 */
const THUOC_TINH_AN = ['process.command_args', 'process.command_line'];

export function tao_tai_nguyen(c: Pick<CauHinh, 'ten_dich_vu' | 'phien_ban_dich_vu' | 'thuoc_tinh'>): Resource {
  const rieng: Record<string, string | number | boolean> = { ...c.thuoc_tinh };
  if (c.ten_dich_vu !== undefined) rieng[ATTR_SERVICE_NAME] = c.ten_dich_vu;
  if (c.phien_ban_dich_vu !== undefined) rieng[ATTR_SERVICE_VERSION] = c.phien_ban_dich_vu;
  const phatHien = detectResources({ detectors: [processDetector, hostDetector, serviceInstanceIdDetector] });
  const giu: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(phatHien.attributes)) if (!THUOC_TINH_AN.includes(k)) giu[k] = v;
  return defaultResource()
    .merge(resourceFromAttributes(giu as Record<string, string>))
    .merge(resourceFromAttributes(rieng));
}
