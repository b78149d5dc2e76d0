import { machine, type RuleCase } from '../../support/ruleHarness.js';
import { VM_DETECTED, WS2019 } from '../caseFixtures/machineOperations.js';

/** Every case of ESU.Machine.CoreCount: one subject through the rule, the messageIds and jobs it must give. */
export const CASES: readonly RuleCase[] = [
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'pass: physical server, cores from hardwareProfile', subject: machine(),
    expect: ['CoreCount.Passed'], evidence: { hostType: 'Physical', cores: 16, coreBasis: 'hardwareProfile.processors', licenseType: 'pCore', coresToLicense: 16 },
    messageIncludes: ['Physical server', 'detectedProperties.model=PowerEdge R730'],
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'pass: small physical server counts the 16-core minimum',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: { manufacturer: 'Dell Inc.', model: 'PowerEdge T130', coreCount: '4' } } }),
    expect: ['CoreCount.Passed'], evidence: { cores: 4, coreBasis: 'detectedProperties.coreCount', coresToLicense: 16 },
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'pass: VM with vCPUs from logicalCoreCount',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: VM_DETECTED } }),
    expect: ['CoreCount.Passed'], evidence: { hostType: 'Virtual', cores: 4, coreBasis: 'detectedProperties.logicalCoreCount', licenseType: 'vCore', coresToLicense: 8 },
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'warn: physical server without a core count',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: { manufacturer: 'Dell Inc.', model: 'PowerEdge R730' } } }),
    expect: ['CoreCount.PassedWithWarning.NoCoreCount'], evidence: { cores: null, coreBasis: null },
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'malformed: non-numeric and zero core counts',
    subject: machine({ properties: { hardwareProfile: { processors: [{ numberOfCores: 'eight' }] }, detectedProperties: { manufacturer: 'Dell Inc.', model: 'PowerEdge R730', coreCount: '0' } } }),
    expect: ['CoreCount.PassedWithWarning.NoCoreCount'],
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'malformed: negative VM core counts',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: { ...VM_DETECTED, logicalCoreCount: '-4', coreCount: 'two' } } }),
    expect: ['CoreCount.PassedWithWarning.NoCoreCount'], messageIncludes: ['a virtual machine'],
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'warn: unknown host type with known cores',
    subject: machine({ properties: { detectedProperties: {} } }),
    expect: ['CoreCount.PassedWithWarning.UnknownHostType'], evidence: { hostType: 'Unknown', cores: 16 }, messageIncludes: ['reports 16 cores'],
  },
  {
    ruleId: 'ESU.Machine.CoreCount', name: 'missing: nothing about the hardware',
    subject: machine({ properties: { hardwareProfile: null, detectedProperties: null } }),
    expect: ['CoreCount.PassedWithWarning.UnknownHostType'], evidence: { cores: null }, messageIncludes: ['no usable core count'],
  },
  { ruleId: 'ESU.Machine.CoreCount', name: 'out of scope: Windows Server 2019 without data', subject: machine({ properties: { ...WS2019, hardwareProfile: null, detectedProperties: null } }), expect: [] },
];
