import { asNumber } from './read.js';
import type { ArcMachine } from './machine.js';

export type HostType = 'Physical' | 'Virtual' | 'Unknown';
export type FreeEsuEnvironment = 'AzureStackHCI' | 'AzureVMwareSolution' | 'Azure';

/** What licensing needs to know about a machine's hardware, with where each fact came from. */
export interface HostProfile {
  readonly type: HostType;
  /** The field that decided `type`, e.g. `kind=HCI` or `detectedProperties.model`. */
  readonly typeBasis: string;
  /** Physical cores of a physical server, vCPUs of a VM; undefined when no usable count exists. */
  readonly cores?: number;
  readonly coreBasis?: string;
  readonly freeEnvironment?: FreeEsuEnvironment;
}

const VIRTUAL_KINDS = new Set(['avs', 'hci', 'scvmm', 'vmware', 'aws', 'gcp']);
const VIRTUAL_SIGNATURE = /virtual machine|vmware|virtualbox|kvm|qemu|xen|hvm domu|bochs|parallels|openstack|nutanix ahv|google compute engine|amazon ec2|hyper-v/i;
const VIRTUAL_MANUFACTURER = /^(vmware|qemu|xen|innotek|red hat|nutanix|amazon ec2|google|parallels|bochs)/i;

/**
 * Precedence, documented on the rule pages:
 * type: `kind` (AVS, HCI, SCVMM, VMware, AWS, GCP) → `parentClusterResourceId` (Azure Local VM) →
 * `cloudMetadata.provider` → `detectedProperties.manufacturer`/`model` → Unknown.
 * cores: physical: `hardwareProfile.processors[].numberOfCores` (summed, only when every processor reports it),
 * then `detectedProperties.coreCount`; virtual: `detectedProperties.logicalCoreCount`, then `hardwareProfile`,
 * then `coreCount` → unknown.
 */
export function describeHost(machine: ArcMachine): HostProfile {
  const { type, typeBasis } = hostType(machine);
  const { cores, coreBasis } = coreCount(machine, type);
  return { type, typeBasis, cores, coreBasis, freeEnvironment: freeEnvironment(machine) };
}

/** Few distinct (kind, cluster, cloud, vendor, model) combinations exist in an estate: decide each once. */
const hostTypes = new Map<string, { type: HostType; typeBasis: string }>();

function hostType(machine: ArcMachine): { type: HostType; typeBasis: string } {
  const key = `${machine.kind ?? ''}\u0000${machine.parentClusterResourceId ? 1 : 0}\u0000${machine.cloudProvider ?? ''}\u0000${machine.detectedProperties['manufacturer'] ?? ''}\u0000${machine.detectedProperties['model'] ?? ''}`;
  let decided = hostTypes.get(key);
  if (!decided) {
    decided = decideHostType(machine);
    if (hostTypes.size >= 10_000) hostTypes.clear();
    hostTypes.set(key, decided);
  }
  return decided;
}

function decideHostType(machine: ArcMachine): { type: HostType; typeBasis: string } {
  const kind = machine.kind?.toLowerCase();
  if (kind && VIRTUAL_KINDS.has(kind)) return { type: 'Virtual', typeBasis: `kind=${machine.kind}` };
  if (machine.parentClusterResourceId) return { type: 'Virtual', typeBasis: 'parentClusterResourceId' };
  if (machine.cloudProvider && !/^n\/?a$/i.test(machine.cloudProvider)) return { type: 'Virtual', typeBasis: `cloudMetadata.provider=${machine.cloudProvider}` };
  const manufacturer = machine.detectedProperties['manufacturer'] ?? '';
  const model = machine.detectedProperties['model'] ?? '';
  if (VIRTUAL_SIGNATURE.test(model) || VIRTUAL_MANUFACTURER.test(manufacturer)) {
    return { type: 'Virtual', typeBasis: `detectedProperties.model=${model || manufacturer}` };
  }
  if (manufacturer || model) return { type: 'Physical', typeBasis: `detectedProperties.model=${model || manufacturer}` };
  return { type: 'Unknown', typeBasis: 'no kind, cluster, cloud or hardware vendor reported' };
}

/**
 * A VM counts the virtual processors its hypervisor assigned (license guidelines, scenario 8: "the maximum of 8
 * or the actual number of cores assigned to each VM"): the guest's logical processors, which Microsoft's own
 * Resource Graph sample reads; `hardwareProfile` cores are physical cores per processor and undercount a VM
 * with SMT. A physical server counts physical cores.
 */
function coreCount(machine: ArcMachine, type: HostType): { cores?: number; coreBasis?: string } {
  const usable = (value: number | undefined): value is number => value !== undefined && Number.isInteger(value) && value > 0;
  const detected = (key: 'logicalcorecount' | 'corecount'): { cores?: number; coreBasis?: string } | undefined => {
    const value = asNumber(machine.detectedProperties[key]);
    return usable(value) ? { cores: value, coreBasis: `detectedProperties.${key === 'corecount' ? 'coreCount' : 'logicalCoreCount'}` } : undefined;
  };
  const hardware = usable(machine.hardware?.cores) ? { cores: machine.hardware.cores, coreBasis: 'hardwareProfile.processors' } : undefined;
  if (type === 'Virtual') return detected('logicalcorecount') ?? hardware ?? detected('corecount') ?? {};
  return hardware ?? detected('corecount') ?? {};
}

/** Azure Local / Azure Stack HCI, Azure VMware Solution and Azure VMs get Windows Server 2012 ESU free. */
function freeEnvironment(machine: ArcMachine): FreeEsuEnvironment | undefined {
  const kind = machine.kind?.toLowerCase();
  if (kind === 'hci' || machine.parentClusterResourceId) return 'AzureStackHCI';
  if (kind === 'avs') return 'AzureVMwareSolution';
  const cloud = `${machine.cloudProvider ?? ''} ${machine.detectedProperties['cloudprovider'] ?? ''}`.toLowerCase();
  if (/\bazure\b/.test(cloud)) return 'Azure';
  return undefined;
}
