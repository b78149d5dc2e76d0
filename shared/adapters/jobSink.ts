import type { RemediationJob } from '../domain/findings.js';

export interface JobDelivery {
  /** Jobs handed to Service Bus. */
  readonly published: number;
  /** Jobs kept in the jobs table (no bus configured, or the bus failed). */
  readonly kept: number;
  /** Why jobs were kept instead of published, if the bus failed. */
  readonly error?: string;
}

/** Where remediation jobs go: a Service Bus topic, or the jobs table. */
export interface JobSink {
  deliver(jobs: readonly RemediationJob[]): Promise<JobDelivery>;
  close(): Promise<void>;
}
