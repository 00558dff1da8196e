/** Messages between the trade-off view and its worker. */
import type { TradeoffRun } from './tradeoff.js';

export type ToTradeoffWorker = { type: 'run'; repeats: number; secondsEach: number };

export type FromTradeoffWorker =
  | { type: 'loaded'; seconds: number }
  | { type: 'progress'; done: number; total: number; batchSize: number; repeat: number }
  | { type: 'run'; run: TradeoffRun }
  | { type: 'done' }
  | { type: 'error'; message: string };
