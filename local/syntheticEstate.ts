// A deterministic, lazily generated Azure Arc estate for tenant-scale benchmarks (hundreds of subscriptions,
// 100k machines). Nothing is materialised per machine: every payload is generated on demand from a hash of
// (seed, subscription index, machine index), so memory stays flat however large the estate.
import { guid, hash32, intBetween, mulberry32, weighted, type Random } from './prng.js';
import { REQUIRED_PROVIDERS as RULE_REQUIRED_PROVIDERS, SQL_PROVIDER } from '../shared/rules/subscription/providerRegistered.js';

export interface SyntheticEstateOptions {
  subscriptions: number;
  machinesPerSubscription: number;
  /** Default 1. */
  seed?: number;
  /** Default 4. Even indexes are pCore licenses, odd ones vCore. */
  licensesPerSubscription?: number;
  /**
   * The moment the estate is observed at (ISO 8601): `lastStatusChange` values lie before it.
   * Default: today 00:00 UTC, so an estate is identical all day long.
   */
  referenceTime?: string;
  /**
   * Every Windows machine runs Windows Server 2016 and every license is a 2016 one (the license plan's benchmark):
   * the same random draws, other OS names. Its machines are mostly unlinked, as today's WS2016 estates are.
   */
  windowsServer2016?: boolean;
}

/**
 * The mix, as probabilities. Machines:
 * - OS: 49% Windows Server 2012 R2, 25% 2012, 1% Storage Server 2012 R2 (out of ESU scope), 2% 2008 R2,
 *   8% 2016, 5% 2019, 4% 2022, 6% Linux (Ubuntu / RHEL / SLES). Windows editions 55% Standard, 45% Datacenter.
 * - status: 85% Connected (seen 1–72 h ago), 10% Disconnected (1–120 days ago), 3% Expired (46–400 days
 *   ago), 2% Error (with errorDetails).
 * - agent: 15% below 1.34 (1.20–1.33), the rest 1.34–1.61.
 * - host: 30% physical (hardwareProfile, 1–2 sockets, 8–64 cores), 35% VMware VMs, 25% Hyper-V VMs (VMs:
 *   detectedProperties.logicalCoreCount 2–16), 3% Azure Stack HCI (kind HCI + parentClusterResourceId),
 *   2% Azure VMware Solution (kind AVS), 5% no core data (half a physical vendor without counts, half nothing).
 * - ESU, machines in scope (WS2012 / 2012 R2): esuEligibility 92% Eligible, 5% Unknown, 3% Ineligible;
 *   Assigned 80% on paid hosts, 10% on HCI/AVS (which get ESU free); out-of-scope Windows: Ineligible,
 *   3% still Assigned (upgraded, license left linked). An assigned machine links by
 *   `assignedLicenseImmutableId` to a license of its own subscription, 85% of the time one of the type
 *   matching its host (pCore for physical, vCore for VMs). esuKeyState: 90% Active when Assigned, else Inactive.
 *   Linux machines have no licenseProfile.
 * - Windows: assessmentMode 80% AutomaticByPlatform (else ImageDefault); mssqlDiscovered 10%.
 * Licenses: pCore / vCore alternate; 85% Activated; pCore 50% Datacenter, vCore 5% Datacenter (an invalid
 * combination); 8% below the core minimum (pCore 8/12, vCore 4/6), the rest sized 0.8–1.5× the expected
 * demand of the machines that link to them; target 70% Windows Server 2012 R2, 30% 2012.
 * Subscriptions: 85% have every required provider Registered, 10% one NotRegistered, 5% one Registering.
 */
export const SYNTHETIC_MIX = {
  os: {
    ws2012r2: 0.49,
    ws2012: 0.25,
    storage2012r2: 0.01,
    ws2008r2: 0.02,
    ws2016: 0.08,
    ws2019: 0.05,
    ws2022: 0.04,
    linux: 0.06,
  },
  windowsDatacenter: 0.45,
  status: { Connected: 0.85, Disconnected: 0.1, Expired: 0.03, Error: 0.02 },
  agentBelowMinimum: 0.15,
  host: { physical: 0.3, vmware: 0.35, hyperv: 0.25, hci: 0.03, avs: 0.02, noCoreData: 0.05 },
  esuEligibility: { Eligible: 0.92, Unknown: 0.05, Ineligible: 0.03 },
  assignedPaidHost: 0.8,
  assignedFreeHost: 0.1,
  assignedOutOfScope: 0.03,
  linkMatchingType: 0.85,
  esuKeyActiveWhenAssigned: 0.9,
  assessmentAutomatic: 0.8,
  mssqlDiscovered: 0.1,
  license: { activated: 0.85, pCoreDatacenter: 0.5, vCoreDatacenter: 0.05, belowMinimum: 0.08, target2012R2: 0.7 },
  providers: { allRegistered: 0.85, oneNotRegistered: 0.1, oneRegistering: 0.05 },
} as const;

/** What ESU.Subscription.ProviderRegistered checks, SQL included: the generator registers (or not) exactly these. */
export const REQUIRED_PROVIDERS = [...RULE_REQUIRED_PROVIDERS, SQL_PROVIDER] as const;
const OTHER_PROVIDERS = ['Microsoft.Network', 'Microsoft.KeyVault', 'Microsoft.Insights', 'Microsoft.AzureStackHCI'] as const;

/** The newest agent minor version of the synthetic estate (machines run 1.20–1.61). */
const NEWEST_AGENT_MINOR = 61;

// Stream tags keep the generators of different things independent for the same indexes.
const TAG = { subscription: 1, tenant: 2, providers: 3, license: 4, licenseId: 5, machine: 6 } as const;

type OsKey = keyof typeof SYNTHETIC_MIX.os;
type HostKey = keyof typeof SYNTHETIC_MIX.host;

/** `inScope`: the generator links licenses to these (its WS2016 machines are not yet enrolled, as on 2026-12-01). */
const WINDOWS: Record<Exclude<OsKey, 'linux'>, { name: string; version: string; inScope: boolean }> = {
  ws2012r2: { name: 'Windows Server 2012 R2', version: '6.3.9600', inScope: true },
  ws2012: { name: 'Windows Server 2012', version: '6.2.9200', inScope: true },
  storage2012r2: { name: 'Windows Storage Server 2012 R2', version: '6.3.9600', inScope: false },
  ws2008r2: { name: 'Windows Server 2008 R2', version: '6.1.7601', inScope: false },
  ws2016: { name: 'Windows Server 2016', version: '10.0.14393', inScope: false },
  ws2019: { name: 'Windows Server 2019', version: '10.0.17763', inScope: false },
  ws2022: { name: 'Windows Server 2022', version: '10.0.20348', inScope: false },
};
const LINUX = [
  { name: 'ubuntu', version: '22.04' },
  { name: 'rhel', version: '8.9' },
  { name: 'sles', version: '15.5' },
] as const;
const SERVER_VENDORS = [
  ['Dell Inc.', 'PowerEdge R730'],
  ['HPE', 'ProLiant DL380 Gen10'],
  ['Lenovo', 'ThinkSystem SR650'],
] as const;
const CPU = 'Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz';
const VCPUS = [2, 2, 4, 4, 4, 6, 8, 8, 12, 16] as const;
const CORES_PER_SOCKET = [4, 6, 8, 10, 12, 16, 20, 24, 32] as const;
const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2', 'uksouth'] as const;
const TEAMS = ['infra-team', 'app-team', 'branch-ops', 'sql-team'] as const;
const ERRORS = [
  ['AgentNotReporting', 'Heartbeat failed: himds could not reach the Azure Arc endpoint.'],
  ['ExtensionManagerFailed', 'The extension manager service stopped unexpectedly.'],
] as const;
const MACHINES_PER_RESOURCE_GROUP = 200;

const pickOf = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const isoSecond = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const HOUR = 3_600_000;

function agentVersion(minor: number): string {
  return `1.${minor}.${String(2345 + (minor - 34) * 57).padStart(5, '0')}.${1000 + minor * 17}`;
}

function positiveInteger(name: string, value: number, allowZero = false): number {
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`);
  }
  return value;
}

export class SyntheticEstate {
  readonly seed: number;
  private readonly windowsServer2016: boolean;
  readonly machinesPerSubscription: number;
  readonly licensesPerSubscription: number;
  readonly referenceTime: string;
  readonly tenantId: string;
  readonly subscriptionIds: readonly string[];
  private readonly referenceMs: number;
  private readonly indexById: ReadonlyMap<string, number>;
  /** Per subscription, small: immutable ids of its licenses, drawn once. */
  private readonly licenseIdCache = new Map<number, readonly string[]>();

  constructor(options: SyntheticEstateOptions) {
    const subscriptions = positiveInteger('subscriptions', options.subscriptions);
    this.machinesPerSubscription = positiveInteger('machinesPerSubscription', options.machinesPerSubscription, true);
    this.licensesPerSubscription = positiveInteger('licensesPerSubscription', options.licensesPerSubscription ?? 4, true);
    this.seed = options.seed ?? 1;
    this.windowsServer2016 = options.windowsServer2016 === true;
    if (!Number.isSafeInteger(this.seed)) throw new Error(`seed must be an integer, got ${this.seed}`);
    const today = new Date();
    this.referenceMs = options.referenceTime === undefined
      ? Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
      : Date.parse(options.referenceTime);
    if (!Number.isFinite(this.referenceMs)) throw new Error(`referenceTime is not a date: ${options.referenceTime}`);
    this.referenceTime = isoSecond(this.referenceMs);
    this.tenantId = guid(mulberry32(hash32(this.seed, TAG.tenant)));
    this.subscriptionIds = Array.from({ length: subscriptions }, (_, s) => guid(mulberry32(hash32(this.seed, TAG.subscription, s))));
    this.indexById = new Map(this.subscriptionIds.map((id, s) => [id, s]));
    if (this.indexById.size !== subscriptions) throw new Error('subscription id collision; choose another seed');
  }

  /** Index of a subscription id (case-insensitive), or undefined when the estate has no such subscription. */
  subscriptionIndex(subscriptionId: string): number | undefined {
    return this.indexById.get(subscriptionId.toLowerCase());
  }

  machineCount(subscriptionId: string): number {
    return this.subscriptionIndex(subscriptionId) === undefined ? 0 : this.machinesPerSubscription;
  }

  /** The subscription's resource groups, in ARM's list shape: one per 200 machines, then the licenses' group. */
  resourceGroups(subscriptionId: string): object[] {
    const s = this.subscriptionIndex(subscriptionId);
    if (s === undefined) return [];
    const id = this.subscriptionIds[s] as string;
    const groups = Array.from({ length: Math.ceil(this.machinesPerSubscription / MACHINES_PER_RESOURCE_GROUP) }, (_, g) => `rg-${g}`);
    return [...groups, 'rg-esu-licenses'].map((name) => ({
      id: `/subscriptions/${id}/resourceGroups/${name}`, name, type: 'Microsoft.Resources/resourceGroups', location: 'westeurope', properties: { provisioningState: 'Succeeded' },
    }));
  }

  /** The machine indexes `[from, to)` of a resource group (case-insensitive name); empty for a group without machines. */
  machineRangeOf(groupName: string): { from: number; to: number } {
    const match = /^rg-(\d+)$/i.exec(groupName);
    const group = match ? Number(match[1]) : Number.NaN;
    if (!Number.isSafeInteger(group)) return { from: 0, to: 0 };
    const from = Math.min(group * MACHINES_PER_RESOURCE_GROUP, this.machinesPerSubscription);
    return { from, to: Math.min(from + MACHINES_PER_RESOURCE_GROUP, this.machinesPerSubscription) };
  }

  get totalMachines(): number {
    return this.subscriptionIds.length * this.machinesPerSubscription;
  }

  subscriptionsBody(): { value: object[] } {
    return {
      value: this.subscriptionIds.map((subscriptionId, s) => ({
        id: `/subscriptions/${subscriptionId}`,
        authorizationSource: 'RoleBased',
        managedByTenants: [],
        subscriptionId,
        tenantId: this.tenantId,
        displayName: `Synthetic ${String(s + 1).padStart(4, '0')}`,
        state: 'Enabled',
        subscriptionPolicies: {
          locationPlacementId: 'Public_2014-09-01',
          quotaId: 'EnterpriseAgreement_2014-09-01',
          spendingLimit: 'Off',
        },
      })),
    };
  }

  providersBody(subscriptionId: string): { value: object[] } {
    const s = this.requireIndex(subscriptionId);
    const id = this.subscriptionIds[s] as string;
    const random = mulberry32(hash32(this.seed, TAG.providers, s));
    const pattern = weighted(random, SYNTHETIC_MIX.providers);
    // HybridCompute itself is always Registered: without it the subscription would hold no machines.
    const victim = pickOf(random, REQUIRED_PROVIDERS.slice(1));
    const stateOf = (namespace: string): string =>
      namespace !== victim || pattern === 'allRegistered' ? 'Registered' : pattern === 'oneNotRegistered' ? 'NotRegistered' : 'Registering';
    return {
      value: [...REQUIRED_PROVIDERS, ...OTHER_PROVIDERS].map((namespace) => ({
        id: `/subscriptions/${id}/providers/${namespace}`,
        namespace,
        registrationState: stateOf(namespace),
        registrationPolicy: 'RegistrationRequired',
        resourceTypes: [],
      })),
    };
  }

  licenses(subscriptionId: string): object[] {
    const s = this.requireIndex(subscriptionId);
    return Array.from({ length: this.licensesPerSubscription }, (_, k) => this.license(s, k));
  }

  /**
   * Resource Graph `patchassessmentresources` rows of one subscription, cheap and deterministic: an assessment of
   * every even-numbered machine (every 10th of them 5 days old, every 50th failed; every 16th machine with one
   * pending security update), and that update's per-patch row. Row `k` is computed alone, like a machine page.
   */
  patchAssessmentRowCount(_subscriptionIndex: number): number {
    const n = this.machinesPerSubscription;
    return Math.ceil(n / 2) + Math.ceil(n / 16);
  }

  patchAssessmentRow(subscriptionIndex: number, k: number): object {
    const s = subscriptionIndex;
    const summaries = Math.ceil(this.machinesPerSubscription / 2);
    const i = k < summaries ? 2 * k : 16 * (k - summaries);
    const machineId = this.machineId(s, i);
    if (k >= summaries) {
      return {
        id: `${machineId}/patchAssessmentResults/latest/softwarePatches/${(0x5044284 + i).toString(16)}`,
        type: 'microsoft.hybridcompute/machines/patchassessmentresults/softwarepatches',
        properties: { patchName: '2026-11 Security Monthly Quality Rollup for Windows Server', kbId: '5044284', classifications: ['Security'], publishedDateTime: isoSecond(this.referenceMs - 20 * 24 * HOUR) },
      };
    }
    const failed = i % 50 === 2;
    return {
      id: `${machineId}/patchAssessmentResults/latest`,
      type: 'microsoft.hybridcompute/machines/patchassessmentresults',
      properties: {
        status: failed ? 'Failed' : 'Succeeded',
        lastModifiedDateTime: isoSecond(this.referenceMs - (i % 10 === 4 ? 5 * 24 : 6) * HOUR),
        availablePatchCountByClassification: { security: i % 16 === 0 ? 1 : 0, critical: 0, other: 1 },
        ...(failed ? { errorDetails: { code: 'WindowsUpdateServiceUnavailable', message: 'The Windows Update service could not be reached.' } } : {}),
        osType: 'Windows',
      },
    };
  }

  private machineId(s: number, i: number): string {
    return `/subscriptions/${this.subscriptionIds[s]}/resourceGroups/rg-${Math.floor(i / MACHINES_PER_RESOURCE_GROUP)}/providers/Microsoft.HybridCompute/machines/vm-${s}-${i}`;
  }

  /** One ARM machine payload (api-version 2025-01-13 shape); the same indexes always give the same payload. */
  machine(subscriptionIndex: number, machineIndex: number): object {
    const s = subscriptionIndex;
    const i = machineIndex;
    const subscriptionId = this.subscriptionIds[s];
    if (subscriptionId === undefined) throw new RangeError(`no subscription ${s}`);
    if (!Number.isSafeInteger(i) || i < 0 || i >= this.machinesPerSubscription) throw new RangeError(`no machine ${i} in subscription ${s}`);
    const random = mulberry32(hash32(this.seed, TAG.machine, s, i));
    const name = `vm-${s}-${i}`;
    const fqdn = `${name}.corp.contoso.com`;

    const osKey = weighted(random, SYNTHETIC_MIX.os);
    const isWindows = osKey !== 'linux';
    const datacenter = random() < SYNTHETIC_MIX.windowsDatacenter;
    let os: { osName: string; osVersion: string; osSku: string; osEdition: string | null; osType: string };
    let inScope = false;
    if (osKey === 'linux') {
      const distro = pickOf(random, LINUX);
      os = { osName: distro.name, osVersion: distro.version, osSku: distro.name, osEdition: null, osType: 'linux' };
    } else {
      const windows = this.windowsServer2016 ? WINDOWS.ws2016 : WINDOWS[osKey];
      inScope = windows.inScope;
      const edition = osKey === 'storage2012r2' ? 'Standard' : datacenter ? 'Datacenter' : osKey === 'ws2008r2' ? 'Enterprise' : 'Standard';
      const full = `${windows.name} ${edition}`;
      os = { osName: full, osVersion: windows.version, osSku: full, osEdition: edition, osType: 'windows' };
    }

    const status = weighted(random, SYNTHETIC_MIX.status);
    const ago =
      status === 'Disconnected' ? intBetween(random, 1 * 24, 120 * 24) * HOUR
      : status === 'Expired' ? intBetween(random, 46 * 24, 400 * 24) * HOUR
      : intBetween(random, 60, 72 * 60) * 60_000;
    const errorDetails = status === 'Error' ? [pickOf(random, ERRORS)].map(([code, message]) => ({ code, message })) : [];

    const minor = random() < SYNTHETIC_MIX.agentBelowMinimum ? intBetween(random, 20, 33) : intBetween(random, 34, NEWEST_AGENT_MINOR);

    const host = weighted(random, SYNTHETIC_MIX.host);
    const hardware = this.hardware(random, host, s, i);

    const tags = { owner: pickOf(random, TEAMS), environment: random() < 0.7 ? 'production' : 'test' };
    const location = pickOf(random, LOCATIONS);
    const vmId = guid(random);
    const principalId = guid(random);
    const mssql = isWindows && random() < SYNTHETIC_MIX.mssqlDiscovered ? 'true' : 'false';
    const assessmentMode = random() < SYNTHETIC_MIX.assessmentAutomatic ? 'AutomaticByPlatform' : 'ImageDefault';

    const properties: Record<string, unknown> = {
      provisioningState: 'Succeeded',
      agentVersion: agentVersion(minor),
      status,
      lastStatusChange: isoSecond(this.referenceMs - ago),
      errorDetails,
      displayName: name,
      machineFqdn: fqdn,
      ...os,
      domainName: 'corp.contoso.com',
      dnsFqdn: fqdn,
      vmId,
      mssqlDiscovered: mssql,
      parentClusterResourceId: hardware.parentClusterResourceId,
      detectedProperties: { cloudprovider: 'N/A', ...hardware.detected, mssqldiscovered: mssql },
      osProfile: {
        computerName: name,
        [isWindows ? 'windowsConfiguration' : 'linuxConfiguration']: {
          patchSettings: { assessmentMode, patchMode: isWindows ? 'Manual' : 'ImageDefault' },
        },
      },
      agentConfiguration: { extensionsEnabled: 'true', guestConfigurationEnabled: 'true', configMode: 'full' },
    };
    if (hardware.hardwareProfile) properties['hardwareProfile'] = hardware.hardwareProfile;
    // In the Windows Server 2016 estate, Standard and Datacenter machines are eligible but mostly not linked yet.
    const eligible = inScope || (this.windowsServer2016 && (os.osEdition === 'Standard' || os.osEdition === 'Datacenter'));
    if (isWindows) properties['licenseProfile'] = this.licenseProfile(random, s, inScope, eligible, host, datacenter);

    return {
      id: `/subscriptions/${subscriptionId}/resourceGroups/rg-${Math.floor(i / MACHINES_PER_RESOURCE_GROUP)}/providers/Microsoft.HybridCompute/machines/${name}`,
      name,
      location,
      tags,
      identity: { type: 'SystemAssigned', principalId, tenantId: this.tenantId },
      type: 'Microsoft.HybridCompute/machines',
      kind: hardware.kind,
      properties,
    };
  }

  private requireIndex(subscriptionId: string): number {
    const s = this.subscriptionIndex(subscriptionId);
    if (s === undefined) throw new RangeError(`no subscription ${subscriptionId} in the synthetic estate`);
    return s;
  }

  private hardware(random: Random, host: HostKey, s: number, i: number) {
    const subscriptionId = this.subscriptionIds[s] as string;
    const vcpus = pickOf(random, VCPUS);
    const vm = (manufacturer: string, model: string) => ({ manufacturer, model, coreCount: String(vcpus), logicalCoreCount: String(vcpus) });
    let kind: string | null = null;
    let parentClusterResourceId: string | null = null;
    let detected: Record<string, string>;
    let hardwareProfile: object | undefined;
    switch (host) {
      case 'physical': {
        const [manufacturer, model] = pickOf(random, SERVER_VENDORS);
        const sockets = random() < 0.7 ? 2 : 1;
        const perSocket = pickOf(random, sockets === 2 ? CORES_PER_SOCKET : CORES_PER_SOCKET.filter((c) => c >= 8));
        const cores = sockets * perSocket;
        detected = { manufacturer, model, coreCount: String(cores), logicalCoreCount: String(cores * 2), processorCount: String(sockets) };
        hardwareProfile = {
          totalPhysicalMemoryInBytes: 2 ** 30 * 16 * sockets * 2,
          numberOfCpuSockets: sockets,
          processors: Array.from({ length: sockets }, () => ({ name: CPU, numberOfCores: perSocket })),
        };
        break;
      }
      case 'vmware':
        detected = vm('VMware, Inc.', 'VMware7,1');
        break;
      case 'hyperv':
        detected = vm('Microsoft Corporation', 'Virtual Machine');
        break;
      case 'hci':
        kind = 'HCI';
        parentClusterResourceId = `/subscriptions/${subscriptionId}/resourceGroups/rg-hci/providers/Microsoft.AzureStackHCI/clusters/hci-${s}-${i % 3}`;
        detected = { manufacturer: 'Microsoft Corporation', model: 'Virtual Machine', logicalCoreCount: String(vcpus) };
        break;
      case 'avs':
        kind = 'AVS';
        detected = { manufacturer: 'VMware, Inc.', model: 'VMware7,1', logicalCoreCount: String(vcpus) };
        break;
      case 'noCoreData': {
        const [manufacturer, model] = pickOf(random, SERVER_VENDORS);
        detected = random() < 0.5 ? { manufacturer, model } : {};
        break;
      }
    }
    return { kind, parentClusterResourceId, detected, hardwareProfile };
  }

  private licenseProfile(random: Random, s: number, inScope: boolean, eligible: boolean, host: HostKey, datacenter: boolean): object {
    const free = host === 'hci' || host === 'avs';
    const esuEligibility = eligible ? weighted(random, SYNTHETIC_MIX.esuEligibility) : 'Ineligible';
    const assignRate = !inScope ? SYNTHETIC_MIX.assignedOutOfScope : free ? SYNTHETIC_MIX.assignedFreeHost : SYNTHETIC_MIX.assignedPaidHost;
    const licenseIds = this.licenseImmutableIds(s);
    const assigned = random() < assignRate && licenseIds.length > 0;
    const keyActive = random() < SYNTHETIC_MIX.esuKeyActiveWhenAssigned;
    const esuProfile: Record<string, unknown> = {
      licenseAssignmentState: assigned ? 'Assigned' : 'NotAssigned',
      esuEligibility,
      esuKeyState: assigned && keyActive ? 'Active' : 'Inactive',
      serverType: datacenter ? 'Datacenter' : 'Standard',
      esuKeys: [],
    };
    if (assigned) {
      // pCore licenses have even indexes, vCore odd ones; physical-looking hosts prefer pCore.
      const wantsPCore = host === 'physical' || host === 'noCoreData';
      const matching = licenseIds.map((_, k) => k).filter((k) => (k % 2 === 0) === wantsPCore);
      const pool = matching.length > 0 && random() < SYNTHETIC_MIX.linkMatchingType ? matching : licenseIds.map((_, k) => k);
      esuProfile['assignedLicenseImmutableId'] = licenseIds[pickOf(random, pool)];
    }
    return {
      licenseStatus: 'Licensed',
      licenseChannel: 'Retail',
      softwareAssurance: { softwareAssuranceCustomer: true },
      esuProfile,
    };
  }

  private licenseImmutableIds(s: number): readonly string[] {
    let ids = this.licenseIdCache.get(s);
    if (!ids) {
      ids = Array.from({ length: this.licensesPerSubscription }, (_, k) => guid(mulberry32(hash32(this.seed, TAG.licenseId, s, k))));
      this.licenseIdCache.set(s, ids);
    }
    return ids;
  }

  private license(s: number, k: number): object {
    const subscriptionId = this.subscriptionIds[s] as string;
    const random = mulberry32(hash32(this.seed, TAG.license, s, k));
    const mix = SYNTHETIC_MIX.license;
    const type = k % 2 === 0 ? 'pCore' : 'vCore';
    const datacenter = random() < (type === 'pCore' ? mix.pCoreDatacenter : mix.vCoreDatacenter);
    const edition = datacenter ? 'Datacenter' : 'Standard';
    const state = random() < mix.activated ? 'Activated' : 'Deactivated';
    const drawn = random() < mix.target2012R2 ? 'Windows Server 2012 R2' : 'Windows Server 2012';
    const target = this.windowsServer2016 ? 'Windows Server 2016' : drawn;
    let processors: number;
    if (random() < mix.belowMinimum) {
      processors = pickOf(random, type === 'pCore' ? [8, 12] : [4, 6]);
    } else {
      // Expected demand of the machines that link here: in-scope share × assigned share × host share × cores.
      const ofType = Math.ceil((this.licensesPerSubscription - (type === 'pCore' ? 0 : 1)) / 2);
      const perMachine = type === 'pCore' ? 0.35 * 28 : 0.65 * 8;
      const demand = (this.machinesPerSubscription * 0.75 * 0.75 * perMachine) / Math.max(1, ofType);
      const factor = 0.8 + random() * 0.7;
      const minimum = type === 'pCore' ? 16 : 8;
      processors = Math.min(10_000, Math.max(minimum, Math.ceil((demand * factor) / 8) * 8));
    }
    const name = `esu-${type.toLowerCase()}-${datacenter ? 'dc' : 'std'}-${k}`;
    return {
      id: `/subscriptions/${subscriptionId}/resourceGroups/rg-esu-licenses/providers/Microsoft.HybridCompute/licenses/${name}`,
      name,
      type: 'Microsoft.HybridCompute/licenses',
      location: pickOf(random, LOCATIONS),
      tags: {},
      properties: {
        provisioningState: 'Succeeded',
        tenantId: this.tenantId,
        licenseType: 'ESU',
        licenseDetails: {
          state,
          target,
          edition,
          type,
          processors,
          assignedLicenses: 0,
          immutableId: this.licenseImmutableIds(s)[k],
        },
      },
    };
  }
}
