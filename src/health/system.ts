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

/** Disk size and free space of the filesystem holding `duong_dan` (bytes). */
export interface DocDia {
  tong: number;
  trong: number;
}

/** Reads the disk of `duong_dan` (free = available to this unprivileged user). */
export async function doc_dia(duong_dan: string): Promise<DocDia> {
  const s = await statfs(duong_dan);
  return { tong: s.blocks * s.bsize, trong: s.bavail * s.bsize };
}

/** Memory of the machine, or of the cgroup when it is smaller (bytes). */
export function doc_bo_nho(): { tong: number; con: number } {
  let tong = os.totalmem();
  let con = os.freemem();
  // In a container the cgroup limit, not the host, is what runs out.
  const gioi_han = process.constrainedMemory();
  if (gioi_han > 0 && gioi_han < tong) {
    tong = gioi_han;
    con = Math.min(con, process.availableMemory());
  }
  return { tong, con: Math.max(0, Math.min(con, tong)) };
}

function tron(x: number, chu_so: number): number {
  const k = 10 ** chu_so;
  return Math.round(x * k) / k;
}

/** Builds `he_thong` from a memory reading and a disk reading (or undefined when unknown: zeros). */
export function thong_tin_he_thong(dia: DocDia | undefined): ThongTinHeThong {
  const m = doc_bo_nho();
  return {
    cpu_load_1m: tron(os.loadavg()[0] ?? 0, 2),
    memory_total_mb: Math.round(m.tong / MB),
    memory_available_mb: Math.round(m.con / MB),
    memory_usage_pct: m.tong > 0 ? tron(((m.tong - m.con) / m.tong) * 100, 1) : 0,
    disk_total_gb: dia === undefined ? 0 : tron(dia.tong / GB, 2),
    disk_free_gb: dia === undefined ? 0 : tron(dia.trong / GB, 2),
    node_version: process.version,
    pid: process.pid,
  };
}
