// Tracks the best monitored loss with PyTorch Lightning's EarlyStopping rule (mode 'min'):
// an epoch improves when loss < best - minDelta; otherwise the wait count grows, and training
// stops once it reaches `patience`. NaN never improves.
export class BestTracker {
  best = Infinity;
  bestEpoch = -1;
  private wait = 0;

  constructor(
    private readonly patience: number,
    private readonly minDelta: number,
  ) {}

  /** Records an epoch's monitored loss; returns whether it improved and whether to stop. */
  update(epoch: number, loss: number): { improved: boolean; stop: boolean } {
    if (loss < this.best - this.minDelta) {
      this.best = loss;
      this.bestEpoch = epoch;
      this.wait = 0;
      return { improved: true, stop: false };
    }
    this.wait += 1;
    return { improved: false, stop: this.wait >= this.patience };
  }
}
