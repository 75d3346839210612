/**
 * Start-up tracking for KiemTraSucKhoe: which checks marked for start-up
 * (`khoi_dong`) have passed at least once. Kubernetes' startupProbe holds
 * back the liveness probe until it succeeds, so the answer latches: once
 * every marked check has passed, the service has started for good, whatever
 * those checks say later (readiness is the probe that follows them).
 */
import type { KetQuaKiemTra } from './types.js';

/** What the tracker reads of a registered check. */
interface StartupCheck {
  readonly name: string;
  /** Marked for start-up. */
  readonly startup: boolean;
}

export class StartupTracker {
  /** Marked checks seen `ok` in some run. Bounded by the number of checks registered. */
  private readonly passed = new Set<string>();
  private started = false;

  /** Notes the marked checks that passed in a finished run. */
  record(result: KetQuaKiemTra): void {
    if (this.started) return;
    for (const [name, detail] of Object.entries(result.chi_tiet)) if (detail.trang_thai === 'ok') this.passed.add(name);
  }

  /** The marked checks (among `checks`) not yet seen passing. */
  waiting(checks: Iterable<StartupCheck>): string[] {
    if (this.started) return [];
    const names: string[] = [];
    for (const c of checks) if (c.startup && !this.passed.has(c.name)) names.push(c.name);
    return names;
  }

  /** True once every marked check has passed (latched; the set is then dropped). */
  hasStarted(checks: Iterable<StartupCheck>): boolean {
    if (this.started) return true;
    if (this.waiting(checks).length > 0) return false;
    this.started = true;
    this.passed.clear();
    return true;
  }
}
