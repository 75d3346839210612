/**
 * System information (thông tin hệ thống) for `he_thong`, and the readings
 * the default checks share. Disk figures come from `fs.statfs`, which can hang
 * on a dead network mount, so it is raced against the run's deadline and the
 * last good reading is reused when it does not answer in time.
 */
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import type { ThongTinHeThong } from './types.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** Disk size and free space of a filesystem (bytes). */
export interface DiskReading {
  total: number;
  free: number;
}

/** Reads the disk holding `path` (free = available to this unprivileged user). */
export async function read_disk(path: string): Promise<DiskReading> {
  const s = await statfs(path);
  return { total: s.blocks * s.bsize, free: s.bavail * s.bsize };
}

/** Memory of the machine, or of the cgroup when it is smaller (bytes). */
export function read_memory(): { total: number; available: number } {
  let total = os.totalmem();
  let available = os.freemem();
  // In a container the cgroup limit, not the host, is what runs out.
  const limit = process.constrainedMemory();
  if (limit > 0 && limit < total) {
    total = limit;
    available = Math.min(available, process.availableMemory());
  }
  return { total, available: Math.max(0, Math.min(available, total)) };
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/** Builds `he_thong` from a memory reading and a disk reading (or undefined when unknown: zeros). */
export function system_info(disk: DiskReading | undefined): ThongTinHeThong {
  const m = read_memory();
  return {
    cpu_load_1m: round(os.loadavg()[0] ?? 0, 2),
    memory_total_mb: Math.round(m.total / MB),
    memory_available_mb: Math.round(m.available / MB),
    memory_usage_pct: m.total > 0 ? round(((m.total - m.available) / m.total) * 100, 1) : 0,
    disk_total_gb: disk === undefined ? 0 : round(disk.total / GB, 2),
    disk_free_gb: disk === undefined ? 0 : round(disk.free / GB, 2),
    node_version: process.version,
    pid: process.pid,
  };
}
