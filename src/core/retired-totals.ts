/**
 * Counters that stay monotonic when their owners are garbage collected.
 *
 * A facade instance (a breaker, a logger) keeps its counts in a small object
 * of plain numbers; a WeakTracker holds the instance weakly and hands that
 * object back when the instance is collected. Its counts then fold into the
 * totals of its name here, so an observable counter summed per name never
 * goes down because an instance went out of scope.
 */
export class RetiredTotals<T extends C, C = T> {
  private readonly byName = new Map<string, T>();

  /**
   * @param zero makes an empty total.
   * @param add adds a counters object into a total.
   */
  constructor(
    private readonly zero: () => T,
    private readonly add: (into: T, from: C) => void,
  ) {}

  /** Keeps a collected instance's counts under its name. */
  retire(name: string, counters: C): void {
    this.add(this.at(this.byName, name), counters);
  }

  /** The total of `name` in `byName`, made empty on first use. */
  at(byName: Map<string, T>, name: string): T {
    let total = byName.get(name);
    if (total === undefined) {
      total = this.zero();
      byName.set(name, total);
    }
    return total;
  }

  /** Adds every retired total into `byName`'s total of the same name. */
  addRetiredInto(byName: Map<string, T>): void {
    for (const [name, total] of this.byName) this.add(this.at(byName, name), total);
  }
}
