/**
 * A weak set (tập hợp yếu) of live objects that a module-level metric source
 * observes. Each facade registers one source for all its instances (a source
 * per instance would hold it strongly and never let it be collected); the
 * source reads the instances through this set, which holds them weakly and
 * forgets those that were garbage collected.
 */
export class TapHopYeu<T extends object> implements Iterable<T> {
  private readonly refs = new Set<WeakRef<T>>();
  private readonly cuaDoiTuong = new WeakMap<T, WeakRef<T>>();
  private readonly donDep = new FinalizationRegistry<WeakRef<T>>((r) => {
    this.refs.delete(r);
  });

  /** Adds `x` (once); returns how to remove it. */
  them(x: T): () => void {
    let r = this.cuaDoiTuong.get(x);
    if (r === undefined) {
      r = new WeakRef(x);
      this.cuaDoiTuong.set(x, r);
      this.refs.add(r);
      this.donDep.register(x, r, r);
    }
    const ref = r;
    return () => {
      this.refs.delete(ref);
      this.donDep.unregister(ref);
      const x2 = ref.deref();
      if (x2 !== undefined) this.cuaDoiTuong.delete(x2);
    };
  }

  /** The live objects, in insertion order; collected ones are dropped on the way. */
  *[Symbol.iterator](): Iterator<T> {
    for (const r of this.refs) {
      const x = r.deref();
      if (x === undefined) this.refs.delete(r);
      else yield x;
    }
  }

  /** How many live objects it holds. */
  get kich_thuoc(): number {
    let n = 0;
    for (const _ of this) n++;
    return n;
  }
}
