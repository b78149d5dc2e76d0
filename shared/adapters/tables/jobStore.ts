import type { TableClient, TransactionAction } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import type { RemediationJob } from '../../domain/findings.js';
import type { JobDelivery, JobSink } from '../jobSink.js';
import { chunk, encodeKey, partitionKeyForSubscription } from './tableKeys.js';

export type KeptJobState = 'NotPublished' | 'PublishFailed';

export interface KeptJob extends RemediationJob {
  readonly state: KeptJobState;
  readonly lastError?: string;
}

/** Jobs kept in storage, keyed by subscription and deterministic job id, so re-scans overwrite, never duplicate. */
export class JobStore implements JobSink {
  constructor(private readonly table: TableClient) {}

  async keep(jobs: readonly RemediationJob[], state: KeptJobState, lastError?: string): Promise<number> {
    const byPartition = new Map<string, RemediationJob[]>();
    for (const job of jobs) {
      const partitionKey = partitionKeyForSubscription(job.subscriptionId);
      byPartition.set(partitionKey, [...(byPartition.get(partitionKey) ?? []), job]);
    }
    for (const [partitionKey, partitionJobs] of byPartition) {
      const unique = [...new Map(partitionJobs.map((job) => [job.jobId, job])).values()];
      for (const batch of chunk(unique, 100)) {
        const actions: TransactionAction[] = batch.map((job) => [
          'upsert',
          {
            partitionKey,
            rowKey: encodeKey(job.jobId),
            state,
            lastError: lastError ?? '',
            job: JSON.stringify(job),
            jobType: job.jobType,
            ruleId: job.ruleId,
            severity: job.severity,
            resourceId: job.resourceId,
            scanId: job.scanId,
          },
          'Replace',
        ]);
        await this.table.submitTransaction(actions);
      }
    }
    return jobs.length;
  }

  async deliver(jobs: readonly RemediationJob[]): Promise<JobDelivery> {
    return { published: 0, kept: await this.keep(jobs, 'NotPublished') };
  }

  async *list(subscriptionId?: string): AsyncIterable<KeptJob> {
    const queryOptions = subscriptionId ? { filter: odata`PartitionKey eq ${partitionKeyForSubscription(subscriptionId)}` } : {};
    for await (const row of this.table.listEntities<{ job?: string; state?: string; lastError?: string }>({ queryOptions })) {
      try {
        const job = JSON.parse(row.job ?? '') as RemediationJob;
        yield { ...job, state: (row.state ?? 'NotPublished') as KeptJobState, lastError: row.lastError || undefined };
      } catch {
        continue; // a row we cannot read is not a job; never let it stop the listing
      }
    }
  }

  async close(): Promise<void> {}
}
