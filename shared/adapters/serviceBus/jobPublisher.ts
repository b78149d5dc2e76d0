import type { ServiceBusMessage, ServiceBusSender } from '@azure/service-bus';
import { ServiceBusClient } from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import type { RemediationJob } from '../../domain/findings.js';
import type { JobDelivery, JobSink } from '../jobSink.js';
import type { JobStore } from '../tables/jobStore.js';

export const JOB_SCHEMA_VERSION = '1';

export type ServiceBusConnection =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly fullyQualifiedNamespace: string; readonly credential: TokenCredential };

export function toServiceBusMessage(job: RemediationJob): ServiceBusMessage {
  return {
    // Deterministic id: the topic's duplicate detection drops a re-send of the same job.
    messageId: job.jobId,
    body: job,
    contentType: 'application/json',
    subject: job.scanId,
    correlationId: job.scanId,
    applicationProperties: {
      schemaVersion: JOB_SCHEMA_VERSION,
      jobType: job.jobType,
      ruleId: job.ruleId,
      severity: job.severity,
      result: 'Failed',
      subscriptionId: job.subscriptionId,
      resourceGroup: job.resourceGroup,
    },
  };
}

/**
 * Publishes jobs to the remediation topic in batches. If the bus fails, the jobs are kept in the
 * jobs table with the error instead of being lost.
 */
export class ServiceBusJobPublisher implements JobSink {
  private readonly client: ServiceBusClient;
  private readonly sender: ServiceBusSender;

  constructor(connection: ServiceBusConnection, topic: string, private readonly fallback: JobStore) {
    const retryOptions = { maxRetries: 3, retryDelayInMs: 500, timeoutInMs: 30_000 };
    this.client = connection.kind === 'connectionString'
      ? new ServiceBusClient(connection.connectionString, { retryOptions })
      : new ServiceBusClient(connection.fullyQualifiedNamespace, connection.credential, { retryOptions });
    this.sender = this.client.createSender(topic);
  }

  async deliver(jobs: readonly RemediationJob[]): Promise<JobDelivery> {
    if (jobs.length === 0) return { published: 0, kept: 0 };
    let published = 0;
    try {
      let batch = await this.sender.createMessageBatch();
      for (const job of jobs) {
        const message = toServiceBusMessage(job);
        if (batch.tryAddMessage(message)) continue;
        if (batch.count === 0) throw new Error(`job ${job.jobId} is larger than a Service Bus message may be`);
        await this.sender.sendMessages(batch);
        published += batch.count;
        batch = await this.sender.createMessageBatch();
        if (!batch.tryAddMessage(message)) throw new Error(`job ${job.jobId} is larger than a Service Bus message may be`);
      }
      if (batch.count > 0) {
        await this.sender.sendMessages(batch);
        published += batch.count;
      }
      return { published, kept: 0 };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // Re-sending the already published ones is harmless: same message ids, dropped by duplicate detection.
      const kept = await this.fallback.keep(jobs, 'PublishFailed', reason);
      return { published, kept, error: reason };
    }
  }

  async close(): Promise<void> {
    await this.sender.close().catch(() => undefined);
    await this.client.close().catch(() => undefined);
  }
}
