/**
 * A weak set (tập hợp yếu) of live objects that a module-level metric source
 * observes. Each facade registers one source for all its instances (a source
 * per instance would hold it strongly and never let it be collected); the
 * source reads the instances through this set, which holds them weakly and
 * forgets those that were garbage collected.
 *
 * An entry may carry a held value `H` (e.g. the object's monotonic counters,
 * kept outside it): held strongly while the object lives, it is handed to
 * `onRelease` exactly once when the object leaves the set, removed or
 * collected, so counters can be folded into totals that outlive the object.
 */
export class WeakTracker<T extends object, H = undefined> implements Iterable<T> {
  /** Entries in insertion order, each with its held value. */
  private readonly refs = new Map<WeakRef<T>, H | undefined>();
  private readonly refOf = new WeakMap<T, WeakRef<T>>();
  private readonly finalizer = new FinalizationRegistry<WeakRef<T>>((ref) => this.release(ref));

  constructor(private readonly onRelease?: (held: H) => void) {}

  /** Adds (thêm) `x` (once; a later call keeps the first held value); returns how to remove it. */
  add(x: T, held?: H): () => void {
    let ref = this.refOf.get(x);
    if (ref === undefined) {
      ref = new WeakRef(x);
      this.refOf.set(x, ref);
      this.refs.set(ref, held);
      this.finalizer.register(x, ref, ref);
    }
    const added = ref;
    return () => this.release(added);
  }

  /** Removes (xóa) `x` if present. */
  delete(x: T): void {
    const ref = this.refOf.get(x);
    if (ref !== undefined) this.release(ref);
  }

  /** Drops one entry (removed, or found collected) and hands its held value over once. */
  private release(ref: WeakRef<T>): void {
    if (!this.refs.has(ref)) return;
    const held = this.refs.get(ref);
    this.refs.delete(ref);
    this.finalizer.unregister(ref);
    const x = ref.deref();
    if (x !== undefined) this.refOf.delete(x);
    if (held !== undefined) this.onRelease?.(held);
  }

  /** The live objects, in insertion order; collected ones are dropped on the way. */
  *[Symbol.iterator](): Iterator<T> {
    for (const ref of this.refs.keys()) {
      const x = ref.deref();
      if (x === undefined) this.release(ref);
      else yield x;
    }
  }

  /** The held values of the live objects, in insertion order. */
  *held(): Iterable<H> {
    for (const [ref, held] of this.refs) {
      if (ref.deref() === undefined) this.release(ref);
      else if (held !== undefined) yield held;
    }
  }

  /** How many live objects it holds (kích thước: size). */
  get size(): number {
    let n = 0;
    for (const _ of this) n++;
    return n;
  }
}
