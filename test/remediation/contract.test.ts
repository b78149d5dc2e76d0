/**
 * Every command the project hands out passes the declared contracts (test/support/commands/contracts.ts):
 * the jobs of every rule's cases (test/rules/cases), and every command in the README, CONTRIBUTING.md and every page
 * under docs/ (rule pages, messages, deploy, run-locally, …). The checker's own cases show it fails on each of issue
 * 11's seven defects when reintroduced.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../cli/projectPaths.js';
import type { RemediationCommand } from '../../shared/domain/findings.js';
import { checkCommand, checkedWithByContracts, contractToolsOf, type ProblemKind } from '../support/commands/commandCheck.js';
import { COMMAND_CONTRACTS, TOOL_VERSIONS } from '../support/commands/contracts.js';
import * as fixes from '../../shared/remediation/fixes.js';
import { createLicenseCommands, linkLicenseCommands, unlinkLicenseCommands, upgradeAgentCommands } from '../../shared/remediation/fixes.js';
import type { BuiltCommand } from '../../shared/remediation/tools.js';
import { evaluateRules } from '../../shared/scan/evaluate.js';
import { docCommands } from '../support/docCommands.js';
import { documentationPages } from '../support/docPages.js';
import { loadRuleCaseFiles } from '../support/ruleCaseFiles.js';
import { contextFor, ruleById, STAMP, TARGET } from '../support/ruleHarness.js';

const ROOT = projectRoot();
/** Every rule's cases (test/rules/cases/<ruleId>.cases.ts): the jobs they produce are the commands checked here. */
const CASES = (await loadRuleCaseFiles()).flatMap((file) => file.cases);
const SUB = '00000000-1111-4222-8333-444444444444';
const MACHINE_URL = `https://management.azure.com/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m1`;

const osTypeOf = (subject: unknown): string | undefined => {
  const osType = (subject as { osType?: unknown }).osType;
  return typeof osType === 'string' ? osType : undefined;
};

describe('command contracts: rule fixture jobs', () => {
  for (const testCase of CASES.filter((candidate) => (candidate.jobs ?? []).length > 0)) {
    it(`${testCase.ruleId}: ${testCase.name}`, () => {
      const subject = testCase.subject();
      const evaluation = evaluateRules([ruleById(testCase.ruleId)], subject, TARGET, contextFor(testCase), STAMP);
      const problems = evaluation.jobs.flatMap((job) => job.commands.map((command) => ({ command: command.command, problems: checkCommand(command, { osType: osTypeOf(subject) }) })));
      assert.deepEqual(problems.filter((entry) => entry.problems.length > 0), []);
      assert.ok(evaluation.jobs.every((job) => job.checkedWith.length > 0), 'every job states the tool versions its commands were checked against');
      // The builders name the tools; the contracts, reading the commands, must name the same ones.
      assert.deepEqual(evaluation.jobs.map((job) => job.checkedWith), evaluation.jobs.map((job) => checkedWithByContracts(job.commands)));
    });
  }
});

/**
 * Tools of a developer's machine that only docs/run-locally.md hands out and no job ever emits: Azure Functions Core
 * Tools (`func start`, checked against the Core Tools docs) and curl (its URLs are still checked for quotes).
 */
const LOCAL_TOOLS = ['func', 'curl'];
const isLocalTool = (problem: { kind: ProblemKind; detail: string }): boolean => problem.kind === 'unknown-command' && LOCAL_TOOLS.some((tool) => problem.detail === `no contract for ${tool}`);

describe('command contracts: documentation', () => {
  const documents = documentationPages(ROOT);
  for (const document of documents) {
    it(`${document}: every command passes`, () => {
      const commands = docCommands(readFileSync(join(ROOT, document), 'utf8'), document);
      const problems = commands
        .map((command) => ({ where: command.where, command: command.command, problems: checkCommand(command).filter((problem) => !isLocalTool(problem)) }))
        .filter((entry) => entry.problems.length > 0);
      assert.deepEqual(problems, []);
      if (document.startsWith(join('docs', 'rules'))) {
        const stated = /^Checked against: (.*)$/m.exec(readFileSync(join(ROOT, document), 'utf8'))?.[1] ?? '';
        assert.deepEqual(checkedWithByContracts(commands).filter((tool) => !stated.includes(tool)), [], 'the page names the tool versions its commands were checked against');
      }
    });
  }

  it('finds the commands of a page (the extraction can fail)', () => {
    const found = docCommands(readFileSync(join(ROOT, 'docs', 'rules', 'ESU.Machine.AgentVersion.md'), 'utf8'), 'page');
    assert.ok(found.some((command) => command.shell === 'powershell' && command.command.includes('Start-Process')));
    assert.ok(found.some((command) => command.shell === 'bash' && command.command.includes('apt')));
    assert.ok(found.some((command) => command.shell === 'az' && command.command.startsWith('az connectedmachine show')));
  });
});

interface DefectCase {
  readonly name: string;
  readonly command: RemediationCommand;
  readonly osType?: string;
  readonly expect: ProblemKind;
}

/** Issue 11's seven defects, as the project used to emit them, and the checker's other checks. */
const DEFECTS: readonly DefectCase[] = [
  { name: '(1) Update-AzConnectedLicense does not exist', command: { shell: 'powershell', command: `Update-AzConnectedLicense -Name l1 -ResourceGroupName rg -SubscriptionId ${SUB} -LicenseDetailState Activated` }, expect: 'unknown-command' },
  { name: '(1) Set-AzConnectedLicense is a PUT: -Location and every property', command: { shell: 'powershell', command: `Set-AzConnectedLicense -Name l1 -ResourceGroupName rg -SubscriptionId ${SUB} -LicenseDetailState Activated` }, expect: 'missing-parameter' },
  { name: '(2) az connectedmachine show --query properties.agentVersion prints nothing', command: { shell: 'az', command: `az connectedmachine show --name m1 --resource-group rg --subscription ${SUB} --query properties.agentVersion --output tsv` }, expect: 'invalid-value' },
  { name: '(2) flattened paths inside a query object too', command: { shell: 'az', command: `az connectedmachine show --name m1 --resource-group rg --query "{status:properties.status}"` }, expect: 'invalid-value' },
  { name: '(3) the MSI upgrade handed to a Linux machine', osType: 'linux', command: { shell: 'powershell', command: "Invoke-WebRequest -Uri 'https://aka.ms/AzureConnectedMachineAgent' -OutFile AzureConnectedMachineAgent.msi; Start-Process -FilePath msiexec.exe -ArgumentList '/i AzureConnectedMachineAgent.msi /qn' -Wait" }, expect: 'windows-command-on-linux' },
  { name: '(3) msiexec from PowerShell returns at once', osType: 'windows', command: { shell: 'powershell', command: "Invoke-WebRequest -Uri 'https://aka.ms/AzureConnectedMachineAgent' -OutFile AzureConnectedMachineAgent.msi; msiexec.exe /i AzureConnectedMachineAgent.msi /qn /l*v agent-upgrade.log" }, expect: 'forbidden' },
  { name: '(3) Start-Process msiexec without -Wait', osType: 'windows', command: { shell: 'powershell', command: "Start-Process -FilePath msiexec.exe -ArgumentList '/i AzureConnectedMachineAgent.msi /qn'" }, expect: 'missing-parameter' },
  { name: '(4) license-profile create without --name default and --location', command: { shell: 'az', command: `az connectedmachine license-profile create --machine-name m1 --resource-group rg --subscription ${SUB} --assigned-license /subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/l1` }, expect: 'missing-parameter' },
  { name: '(4) license-profile create with another profile name', command: { shell: 'az', command: `az connectedmachine license-profile create --name esu --machine-name m1 --resource-group rg --location westeurope` }, expect: 'invalid-value' },
  { name: '(5) unlink by deleting the profile (CLI)', command: { shell: 'az', command: `az connectedmachine license-profile delete --machine-name m1 --resource-group rg --subscription ${SUB} --yes` }, expect: 'forbidden' },
  { name: '(5) unlink by deleting the profile (PowerShell)', command: { shell: 'powershell', command: `Remove-AzConnectedLicenseProfile -MachineName m1 -ResourceGroupName rg -SubscriptionId ${SUB}` }, expect: 'forbidden' },
  { name: '(5) unlink by deleting the profile (az rest)', command: { shell: 'az', command: `az rest --method delete --url '${MACHINE_URL}/licenseProfiles/default?api-version=2024-07-10'` }, expect: 'forbidden' },
  { name: '(6) unquoted URL in az rest', command: { shell: 'az', command: `az rest --method patch --url ${MACHINE_URL}?api-version=2024-07-10 --body '{}'` }, expect: 'unquoted-url' },
  { name: '(7) license create --target "Windows Server 2016" through the CLI', command: { shell: 'az', command: `az connectedmachine license create --license-name l1 --resource-group rg --location westeurope --license-type ESU --state Activated --target "Windows Server 2016" --edition Standard --type pCore --processors 16` }, expect: 'invalid-value' },
  { name: 'a call assigned to a PowerShell variable is checked too', command: { shell: 'powershell', command: "$r = Invoke-AzRestMethod -Method PATCH -Uri 'https://management.azure.com/x'" }, expect: 'unknown-parameter' },
  { name: 'unknown parameter', command: { shell: 'az', command: 'az connectedmachine show --machine m1 --resource-group rg' }, expect: 'unknown-parameter' },
  { name: 'unknown az command', command: { shell: 'az', command: 'az connectedmachine license activate --name l1 --resource-group rg' }, expect: 'unknown-command' },
  { name: 'PowerShell on the machine for a Linux machine', osType: 'linux', command: { shell: 'powershell', command: 'azcmagent show; azcmagent check' }, expect: 'windows-command-on-linux' },
  { name: 'a Windows path for a Linux machine', osType: 'linux', command: { shell: 'bash', command: 'sudo azcmagent show C:\\ProgramData\\AzureConnectedMachineAgent' }, expect: 'windows-path-on-linux' },
  { name: 'a package manager for a Windows machine', osType: 'windows', command: { shell: 'bash', command: 'sudo apt update' }, expect: 'linux-command-on-windows' },
  { name: 'a cmdlet in the az (bash) shell', command: { shell: 'az', command: `Get-AzConnectedMachine -Name m1 -ResourceGroupName rg` }, expect: 'wrong-shell' },
];

describe('command contract checks (self-checks: each defect is caught)', () => {
  for (const defect of DEFECTS) {
    it(defect.name, () => {
      const problems = checkCommand(defect.command, { osType: defect.osType });
      assert.ok(problems.some((problem) => problem.kind === defect.expect), `expected ${defect.expect}, got ${JSON.stringify(problems)}`);
    });
  }
});

const MACHINES = [
  { osType: 'windows', osName: 'Windows Server 2012 R2 Datacenter', shells: ['powershell', 'az'], onMachine: 'Start-Process -FilePath msiexec.exe' },
  { osType: 'linux', osName: 'Ubuntu 22.04 LTS', shells: ['bash', 'az'], onMachine: 'sudo apt update && sudo apt upgrade azcmagent' },
  { osType: 'linux', osName: 'Red Hat Enterprise Linux 9', shells: ['bash', 'az'], onMachine: 'sudo yum update azcmagent' },
  { osType: 'linux', osName: 'SUSE Linux Enterprise Server 15', shells: ['bash', 'az'], onMachine: 'sudo zypper update azcmagent' },
  { osType: 'Linux', osName: undefined, shells: ['bash', 'az'], onMachine: 'sudo zypper refresh' },
] as const;

describe('builders: commands per OS', () => {
  for (const machine of MACHINES) {
    it(`upgrade-agent on ${machine.osType} ${machine.osName ?? '(no OS name)'}`, () => {
      const commands = upgradeAgentCommands({ name: 'm1', resourceGroup: 'rg', subscriptionId: SUB, osType: machine.osType, osName: machine.osName });
      assert.deepEqual([...new Set(commands.map((command) => command.shell))].sort(), [...machine.shells].sort());
      assert.ok(commands.some((command) => command.command.includes(machine.onMachine)), commands.map((command) => command.command).join('\n'));
      assert.deepEqual(commands.flatMap((command) => checkCommand(command, { osType: machine.osType })), []);
      assert.equal(commands.at(-1)?.command.includes('--query agentVersion'), true, 'reads the version back');
    });
  }

  it('unlink keeps the license profile: a PUT of licenseProfiles/default with an empty ESU profile', () => {
    for (const location of ['westeurope', undefined]) {
      const commands = unlinkLicenseCommands({ name: 'm1', resourceGroup: 'rg', subscriptionId: SUB, location });
      assert.deepEqual(commands.map((command) => command.shell), ['az', 'powershell']);
      for (const command of commands) {
        assert.match(command.command, /(--method put|-Method PUT) .*licenseProfiles\/default\?api-version=/);
        assert.match(command.command, /esuProfile\\?"\s*:\s*\{\}/);
        assert.doesNotMatch(command.command, /delete|Remove-/i);
        assert.deepEqual(checkCommand(command), []);
      }
    }
  });
});

describe('builders: a known software-assurance attestation is written again with the profile', () => {
  for (const softwareAssuranceCustomer of [true, false, undefined]) {
    it(`softwareAssuranceCustomer ${String(softwareAssuranceCustomer)}`, () => {
      const machine = { name: 'm1', resourceGroup: 'rg', subscriptionId: SUB, location: 'westeurope', softwareAssuranceCustomer };
      const commands = [...unlinkLicenseCommands(machine), ...linkLicenseCommands(machine, `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/l1`)];
      assert.deepEqual(commands.flatMap((command) => checkCommand(command)), []);
      const stated = commands.filter((command) => /softwareAssuranceCustomer":(true|false)|--software-assurance-customer (true|false)|-SoftwareAssuranceCustomer:\$(true|false)/.test(command.command));
      assert.equal(stated.length, softwareAssuranceCustomer === undefined ? 0 : commands.length);
    });
  }
});

describe('builders: license create by target', () => {
  const scope = { resourceGroup: 'rg', subscriptionId: SUB, location: 'westeurope' };
  const spec = { name: 'l1', edition: 'Standard', type: 'pCore', processors: 16 };
  const TARGETS = [
    { target: 'Windows Server 2012', expect: ['az connectedmachine license create', 'New-AzConnectedLicense'] },
    { target: 'Windows Server 2012 R2', expect: ['az connectedmachine license create', 'New-AzConnectedLicense'] },
    { target: 'Windows Server 2016', expect: ['az rest --method put', 'Invoke-AzRestMethod -Method PUT'] },
  ];
  for (const { target, expect } of TARGETS) {
    for (const location of ['westeurope', undefined]) {
      it(`${target}, region ${location ?? 'read at run time'}`, () => {
        const machine = { name: 'm1', resourceGroup: 'rg', subscriptionId: SUB };
        const commands = createLicenseCommands({ ...scope, location }, { ...spec, target }, { machine });
        assert.deepEqual(commands.map((command) => expect.find((stem) => command.command.startsWith(stem))), expect);
        assert.deepEqual(commands.flatMap((command) => checkCommand(command)), []);
        if (target.endsWith('2016')) assert.ok(commands.every((command) => command.command.includes('api-version=2026-07-15') && command.command.includes('Windows Server 2016')));
      });
    }
  }
});

describe('the contract table', () => {
  it('names each command once, each with its source', () => {
    const commands = COMMAND_CONTRACTS.map((contract) => contract.command.toLowerCase());
    assert.deepEqual(commands.filter((command, index) => commands.indexOf(command) !== index), []);
    assert.deepEqual(COMMAND_CONTRACTS.filter((contract) => contract.source.trim().length < 10).map((contract) => contract.command), []);
  });

  const VERSIONS = [
    { commands: [{ shell: 'az', command: 'az connectedmachine show --name m1 --resource-group rg --query agentVersion' }], expect: [TOOL_VERSIONS.connectedmachine] },
    { commands: [{ shell: 'az', command: "az rest --method patch --url 'https://management.azure.com/x?api-version=1' --body '{}'" }], expect: [TOOL_VERSIONS['azure-cli']] },
    { commands: [{ shell: 'az', command: "az rest --method put --url 'https://management.azure.com/x?api-version=1'" }, { shell: 'az', command: 'az connectedmachine license show --name l1 --resource-group rg' }], expect: [TOOL_VERSIONS.connectedmachine] },
    { commands: [{ shell: 'bash', command: 'sudo apt update && sudo apt upgrade azcmagent && azcmagent version' }], expect: [TOOL_VERSIONS.linux, TOOL_VERSIONS.azcmagent] },
    { commands: [{ shell: 'powershell', command: "Invoke-AzRestMethod -Method PATCH -Path '/x?api-version=1' -Payload '{}'" }], expect: [TOOL_VERSIONS['az-accounts']] },
  ] as const;
  for (const { commands, expect } of VERSIONS) {
    it(`checked-with of ${commands.map((command) => command.command.split(' ').slice(0, 3).join(' ')).join(' + ')}`, () => {
      assert.deepEqual(checkedWithByContracts(commands), expect);
    });
  }
});

describe('builders: each command names the tools its contracts say it calls', () => {
  const licenseId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.HybridCompute/licenses/l1`;
  const MACHINE_SHAPES = [
    { name: 'm1', resourceGroup: 'rg', subscriptionId: SUB, location: 'westeurope', osType: 'windows', osName: 'Windows Server 2012 R2 Datacenter' },
    { name: 'm1', resourceGroup: 'rg', subscriptionId: SUB, osType: 'windows', osName: 'Windows Server 2012 R2 Datacenter', softwareAssuranceCustomer: true },
    { name: 'm1', resourceGroup: 'rg', subscriptionId: SUB, osType: 'linux', osName: 'Ubuntu 22.04 LTS' },
    { name: 'm1', resourceGroup: 'rg', subscriptionId: SUB, location: 'westeurope', osType: 'linux', osName: 'SUSE Linux Enterprise Server 15' },
    { name: 'm1', resourceGroup: 'rg', subscriptionId: SUB },
  ];
  const license = (target: string | undefined, location?: string) => ({ name: 'l1', resourceGroup: 'rg', subscriptionId: SUB, target, ...(location ? { location } : {}) });
  const spec = { name: 'l2', edition: 'Standard', type: 'pCore', processors: 16 };
  const cases: Array<[string, BuiltCommand[]]> = MACHINE_SHAPES.flatMap((machine, index): Array<[string, BuiltCommand[]]> => [
    [`upgradeAgent #${index}`, fixes.upgradeAgentCommands(machine)],
    [`unlinkLicense #${index}`, fixes.unlinkLicenseCommands(machine)],
    [`linkLicense #${index}`, fixes.linkLicenseCommands(machine, licenseId)],
    [`reportCores #${index}`, fixes.reportCoresCommands(machine)],
    [`reconnect #${index}`, fixes.reconnectCommands(machine)],
    [`reonboard #${index}`, fixes.reonboardCommands(machine, licenseId)],
    [`esuActivation #${index}`, fixes.esuActivationCommands(machine)],
    [`patchAssessment #${index}`, fixes.patchAssessmentCommands(machine)],
    [`assessPatches #${index}`, fixes.assessPatchesCommands(machine)],
    [`installEsuPatches #${index}`, fixes.installEsuPatchesCommands(machine)],
    [`assignEsuPatchPolicy #${index}`, fixes.assignEsuPatchPolicyCommands(machine, '/providers/Microsoft.Authorization/policyDefinitions/abc')],
    [`osReview #${index}`, fixes.osReviewCommands(machine)],
    ...['Windows Server 2012', 'Windows Server 2016'].map((target): [string, BuiltCommand[]] => [`createLicense ${target} #${index}`, fixes.createLicenseCommands({ resourceGroup: 'rg', subscriptionId: SUB, location: machine.location }, { ...spec, target }, { machine })]),
  ]);
  for (const target of ['Windows Server 2012', 'Windows Server 2016', 'unreadable', undefined]) {
    for (const location of ['westeurope', undefined]) {
      cases.push([`updateLicense ${target} ${location}`, fixes.updateLicenseCommands(license(target, location), { state: 'Deactivated', processors: 8 })]);
      cases.push([`deactivateLicense ${target} ${location}`, fixes.deactivateLicenseCommands(license(target, location))]);
      cases.push([`replaceLicense ${target} ${location}`, fixes.replaceLicenseCommands(license(target, location), spec)]);
    }
  }
  cases.push(['registerProvider', fixes.registerProviderCommands(SUB, 'Microsoft.HybridCompute')]);
  cases.push(['linkLicenseById', fixes.linkLicenseByIdCommands(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m1`, licenseId)]);
  for (const [name, commands] of cases) {
    it(name, () => {
      assert.ok(commands.length > 0);
      assert.deepEqual(commands.map((command) => command.tools), commands.map((command) => contractToolsOf(command)), commands.map((command) => command.command).join('\n'));
    });
  }
});
