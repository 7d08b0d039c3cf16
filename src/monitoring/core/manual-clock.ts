import { Clock } from './clock';

/** A clock that moves only when told to: for tests of windows, scoring and tasks. */
export class ManualClock implements Clock {
  constructor(
    private wallMs = Date.UTC(2026, 0, 1),
    private monotonicMs = 0,
  ) {}

  now(): number {
    return this.wallMs;
  }

  monotonic(): number {
    return this.monotonicMs;
  }

  advance(ms: number): void {
    this.wallMs += ms;
    this.monotonicMs += ms;
  }

  /** Moves only the wall clock, as an NTP step or a manual change would. */
  setWall(ms: number): void {
    this.wallMs = ms;
  }
}
