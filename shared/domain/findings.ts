/** The scanner's output vocabulary, shaped like Microsoft's own Arc troubleshooter records. */

export const CHECK_RESULTS = ['Passed', 'PassedWithWarning', 'Failed', 'Error'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

export const SEVERITIES = ['High', 'Medium', 'Low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type RuleGroup = 'Subscription' | 'License' | 'Machine';

/** Small, flat facts that explain a result; stored as JSON next to the finding. */
export type Evidence = Readonly<Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>>;

export interface Finding {
  readonly scanId: string;
  readonly ruleId: string;
  readonly ruleGroup: RuleGroup;
  readonly ruleTitle: string;
  readonly result: CheckResult;
  readonly severity: Severity;
  readonly subscriptionId: string;
  readonly resourceId: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly resourceGroup: string;
  readonly message: string;
  /** e.g. `AgentVersion.Failed.BelowMinimum`: stable, for filtering and localisation. */
  readonly messageId: string;
  readonly evidence: Evidence;
  /** What to do about it, in a sentence; the job carries the exact commands. */
  readonly remediation: string;
  readonly evaluatedAt: string;
}

/** One job type per kind of fix; subscribers filter on it. */
export type JobType =
  | 'register-provider'
  | 'reconnect-machine'
  | 'reonboard-machine'
  | 'upgrade-agent'
  | 'link-license'
  | 'create-license'
  | 'report-cores'
  | 'unlink-license'
  | 'activate-license'
  | 'resize-license'
  | 'fix-esu-activation'
  | 'enable-patch-assessment'
  | 'replace-license'
  | 'deactivate-license'
  | 'migrate-os'
  | 'assess-patches'
  | 'install-updates'
  | 'assign-esu-policy';

/** A unit of remediation work, published for every Failed finding that has a fix (and some warnings). */
export interface RemediationJob {
  /** Deterministic: the same finding yields the same id on every scan (Service Bus duplicate detection). */
  readonly jobId: string;
  readonly jobType: JobType;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly resourceId: string;
  readonly title: string;
  readonly messageId: string;
  readonly message: string;
  readonly commands: readonly RemediationCommand[];
  /** Policy assignments that will refuse this job's license writes (the built-in ESU license Deny policy). */
  readonly blockedBy?: readonly JobBlocker[];
  /** The tool versions the commands were checked against, e.g. `Az.ConnectedMachine ≥ 1.0.0`. */
  readonly checkedWith: readonly string[];
  readonly scanId: string;
  readonly createdAt: string;
}

export interface JobBlocker {
  readonly policyAssignmentId: string;
  readonly displayName: string;
}

/** Jobs that create or update `Microsoft.HybridCompute/licenses` resources, which the ESU Deny policy refuses. */
export const LICENSE_WRITE_JOB_TYPES: ReadonlySet<JobType> = new Set<JobType>(['activate-license', 'resize-license', 'replace-license', 'deactivate-license', 'create-license']);

export interface RemediationCommand {
  /** az: Azure CLI in bash; powershell: Az PowerShell, or PowerShell on a Windows machine; bash: on a Linux machine. */
  readonly shell: 'az' | 'powershell' | 'bash';
  readonly command: string;
}
