/**
 * The failure window (cửa sổ lỗi): the times of the last `n` failures in a
 * fixed ring of `n` numbers. "n failures within the last T" holds exactly
 * when the oldest of the last n failures is younger than T, so the ring is
 * all a true sliding window needs: memory stays `n` doubles whatever the
 * traffic, and each failure costs one store and one comparison.
 */
export class CuaSoLoi {
  private readonly vong: Float64Array;
  /** The slot the next failure overwrites (= the oldest one once full). */
  private dau = 0;
  private dem = 0;

  constructor(private readonly n: number) {
    this.vong = new Float64Array(n);
  }

  /**
   * Records a failure at `t` (ms) and says whether the last `n` failures now
   * all fall within `cuaSoMs` of `t`.
   */
  them(t: number, cuaSoMs: number): boolean {
    this.vong[this.dau] = t;
    this.dau = this.dau + 1 === this.n ? 0 : this.dau + 1;
    if (this.dem < this.n) this.dem++;
    return this.dem === this.n && t - (this.vong[this.dau] as number) < cuaSoMs;
  }

  /** How many recorded failures are younger than `cuaSoMs` at `t`. */
  dem_trong(t: number, cuaSoMs: number): number {
    let c = 0;
    for (let i = 0; i < this.dem; i++) if (t - (this.vong[i] as number) < cuaSoMs) c++;
    return c;
  }

  xoa(): void {
    this.dau = 0;
    this.dem = 0;
  }
}
