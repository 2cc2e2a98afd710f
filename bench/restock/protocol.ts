// What the restock benchmark hands one variant process (a mode × burst) and what it gets back: raw
// timestamps and counts only; the figures are derived in figures.ts, where they can be tested.
import type { ModeSettings, RestockSettings } from './settings';

export interface VariantSpec {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  mode: ModeSettings;
  burst: number;
  settings: RestockSettings;
  /** ERROR normally; INFO when the handler logs are kept (BENCH_RESTOCK_LOG_DIR). */
  logLevel: 'INFO' | 'ERROR';
}

/** What the running functions actually used: a setting the build does not read shows up here. */
export interface EffectiveSettings {
  /** `settings.reorderSizing` of the restock functions' deps; null when this build has no such setting. */
  sizing: string | null;
  cooldownSeconds: number;
  pollDelaySeconds: number;
}

export interface SupplierTrace {
  /** Epoch ms of the first request the fake saw, and of the first POST /orders (polled every few ms). */
  firstRequestAt: number | null;
  firstPostAt: number | null;
  /** Requests per endpoint, e.g. `POST /orders`, over the whole variant. */
  requests: Record<string, number>;
  ordersPlaced: number;
  cardsIssued: number;
}

export interface ReorderTrace {
  quantity: number;
  state: string;
  createdAt: string;
  codesReceived: number;
}

export interface VariantRaw {
  mode: ModeSettings['mode'];
  burst: number;
  effective: EffectiveSettings;
  /** Epoch ms when the burst's first webhook left. */
  burstStartedAt: number;
  /** Per order: when its paid webhook was sent ("payment"), whether and when it was acknowledged 200, when its code message was recorded. */
  orders: Array<{ sentAt: number; acked: boolean; ackAt: number | null; codeAt: number | null }>;
  /** Earliest `backorderedAt` of the burst's units, and the first "your code is on its way" message. */
  firstBackorderAt: number | null;
  firstNoticeAt: number | null;
  supplier: SupplierTrace;
  reorders: ReorderTrace[];
  /** No reorder in flight and stock back at the threshold when the counts were taken. */
  settled: boolean;
  /** Codes available for the SKU at the end (counted up to threshold + reorder quantity). */
  availableAfter: number;
  errors: Array<{ source: string; message: string }>;
}

export type FromVariant = { type: 'progress'; line: string } | { type: 'result'; raw: VariantRaw } | { type: 'error'; message: string };
