import { LicenseLedger } from '../plan/licenseLedger.js';
import type { LedgerArchive } from './scanPorts.js';

/**
 * The ledgers of a run held in memory, for a run in one process (the CLI, the benchmark): the same archive the
 * Functions keep in a table, without the round trip. Re-saving a subscription replaces it, as the table does.
 */
export class InProcessLedgers implements LedgerArchive {
  private readonly bySubscription = new Map<string, LicenseLedger>();

  constructor(private readonly scanId: string) {}

  save(scanId: string, subscriptionId: string, ledger: LicenseLedger): Promise<void> {
    if (scanId !== this.scanId) return Promise.reject(new Error(`ledger of run ${scanId} saved in run ${this.scanId}`));
    this.bySubscription.set(subscriptionId.toLowerCase(), ledger);
    return Promise.resolve();
  }

  load(scanId: string): Promise<LicenseLedger> {
    if (scanId !== this.scanId) return Promise.resolve(new LicenseLedger());
    const merged = new LicenseLedger();
    // In subscription order, as the table returns them: the tenant phase sees the same ledger either way.
    for (const [, ledger] of [...this.bySubscription].sort(([a], [b]) => a.localeCompare(b))) merged.merge(ledger);
    return Promise.resolve(merged);
  }
}
