// Persistence port: the codes themselves: intake, the bounded stock count, reading one to send, the audit.
import type { CodeMaterial, CodeStatus } from '../model';

/** One stored code: its SKU, its id, and where the store keeps it (as the claim recorded it on the unit). */
export interface CodeRef {
  sku: string;
  codeId: string;
  codeKey?: string;
}

export interface StockStore {
  /** The code's material, decrypted: only the delivery path calls this. */
  readCode(ref: CodeRef): Promise<CodeMaterial>;
  /** Bounded count of available codes: stops counting at `atMost`. */
  countAvailable(sku: string, atMost: number): Promise<number>;
  /** Inserts codes idempotently (keyed by HMAC of the value); returns how many were new. */
  addCodes(sku: string, codes: CodeMaterial[], source: string): Promise<{ inserted: number; duplicates: number }>;
  /** Counts of codes per status: the conservation audit. */
  audit(sku: string): Promise<Record<CodeStatus, number>>;
}
