/**
 * A weak set (tập hợp yếu) of live objects that a module-level metric source
 * observes. Each facade registers one source for all its instances (a source
 * per instance would hold it strongly and never let it be collected); the
 * source reads the instances through this set, which holds them weakly and
 * forgets those that were garbage collected.
 *
 * An entry may carry a held value `H` (e.g. the object's monotonic counters,
 * kept outside it): held strongly while the object lives, it is handed to
 * `khi_thu_hoi` (on collection) exactly once when the object leaves the set,
 * removed or collected, so counters can be folded into totals that outlive
 * the object.
 */
export class TapHopYeu<T extends object, H = undefined> implements Iterable<T> {
  private readonly refs = new Map<WeakRef<T>, H | undefined>();
  private readonly cuaDoiTuong = new WeakMap<T, WeakRef<T>>();
  private readonly donDep = new FinalizationRegistry<WeakRef<T>>((r) => this.bo(r));

  constructor(private readonly khi_thu_hoi?: (giu: H) => void) {}

  /** Adds `x` (once; a later call keeps the first held value); returns how to remove it. */
  them(x: T, giu?: H): () => void {
    let r = this.cuaDoiTuong.get(x);
    if (r === undefined) {
      r = new WeakRef(x);
      this.cuaDoiTuong.set(x, r);
      this.refs.set(r, giu);
      this.donDep.register(x, r, r);
    }
    const ref = r;
    return () => this.bo(ref);
  }

  /** Removes `x` if present. */
  xoa(x: T): void {
    const r = this.cuaDoiTuong.get(x);
    if (r !== undefined) this.bo(r);
  }

  /** Drops one entry (removed, or found collected) and hands its held value over once. */
  private bo(r: WeakRef<T>): void {
    if (!this.refs.has(r)) return;
    const giu = this.refs.get(r);
    this.refs.delete(r);
    this.donDep.unregister(r);
    const x = r.deref();
    if (x !== undefined) this.cuaDoiTuong.delete(x);
    if (giu !== undefined) this.khi_thu_hoi?.(giu);
  }

  /** The live objects, in insertion order; collected ones are dropped on the way. */
  *[Symbol.iterator](): Iterator<T> {
    for (const r of this.refs.keys()) {
      const x = r.deref();
      if (x === undefined) this.bo(r);
      else yield x;
    }
  }

  /** The held values of the live objects, in insertion order. */
  *held(): Iterable<H> {
    for (const [r, giu] of this.refs) {
      if (r.deref() === undefined) this.bo(r);
      else if (giu !== undefined) yield giu;
    }
  }

  /** How many live objects it holds. */
  get kich_thuoc(): number {
    let n = 0;
    for (const _ of this) n++;
    return n;
  }
}
