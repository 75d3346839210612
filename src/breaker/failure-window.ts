/**
 * The failure window: the times of the last `n` failures in a fixed ring of
 * `n` numbers. "n failures within the last T" holds exactly when the oldest
 * of the last n failures is younger than T, so the ring is all a true
 * sliding window needs: memory stays `n` doubles whatever the traffic, and
 * each failure costs one store and one comparison.
 */
export class FailureWindow {
  private readonly times: Float64Array;
  /** The slot the next failure overwrites (= the oldest one once full). */
  private next = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.times = new Float64Array(capacity);
  }

  /**
   * Records a failure at `t` (ms) and says whether the last `capacity`
   * failures now all fall within `windowMs` of `t`.
   */
  add(t: number, windowMs: number): boolean {
    this.times[this.next] = t;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.count < this.capacity) this.count++;
    return this.count === this.capacity && t - (this.times[this.next] as number) < windowMs;
  }

  /** How many recorded failures are younger than `windowMs` at `t`. */
  count_within(t: number, windowMs: number): number {
    let c = 0;
    for (let i = 0; i < this.count; i++) if (t - (this.times[i] as number) < windowMs) c++;
    return c;
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }
}
