import { CLI_LICENSE_TARGETS, type Shell, type ToolId } from '../../../shared/remediation/tools.js';

export { TOOL_VERSIONS, type Shell, type ToolId } from '../../../shared/remediation/tools.js';

/**
 * The declared contract of every command the project hands to people: which parameters each command
 * or cmdlet takes, which it requires, which values they accept, where it runs, and the source (repository,
 * path, version) it was read from. `commandCheck.ts` checks commands against it; facts Microsoft may
 * change (extension versions, api-versions, enums) live here as data.
 */

/** Where a command runs: an admin workstation (Azure CLI, Az PowerShell) or the machine itself. */
export type RunsOn = 'workstation' | 'windows' | 'linux' | 'machine';


export interface ParameterContract {
  /** Every spelling, with dashes: `--name`, `-n`, `-Name`. */
  readonly names: readonly string[];
  readonly required?: boolean;
  /** Takes no value (`--yes`, `-Wait`, `-SoftwareAssuranceCustomer`). */
  readonly flag?: boolean;
  /** Allowed values (the tool's enum). */
  readonly values?: readonly string[];
  /** The value must match. */
  readonly pattern?: RegExp;
  /** The value must not match: a value the tool accepts but that does not do what it seems. */
  readonly rejects?: { readonly pattern: RegExp; readonly reason: string };
}

export interface CommandContract {
  /** The command words: `az connectedmachine show`, `Set-AzConnectedLicense`, `apt upgrade`. */
  readonly command: string;
  readonly tool: ToolId;
  readonly runsOn: RunsOn;
  readonly shells: readonly Shell[];
  readonly parameters: readonly ParameterContract[];
  /** How many positional arguments it takes (default none). */
  readonly positional?: number;
  /** Set on commands that exist but that the project must never emit, with why. */
  readonly forbidden?: string;
  /** Calls the project must never emit: every named parameter's value matches (canonical names). */
  readonly forbids?: readonly { readonly when: Readonly<Record<string, RegExp>>; readonly reason: string }[];
  /** Where the row was read from: repository, path, version. */
  readonly source: string;
}

const AAZ = 'Azure/aaz @ 2812ac7f0cbc3e250fadc4a879e7f8deaa55bc3f';
const AAZ_LICENSES = `${AAZ}, Resources/mgmt-plane/<b64 /subscriptions/{}/resourcegroups/{}/providers/microsoft.hybridcompute/licenses/{}>/2024-07-31-preview.xml (connectedmachine 1.1.0) and 2024-07-10.xml (1.0.0)`;
const AAZ_MACHINE = `${AAZ}, Resources/mgmt-plane/<b64 .../microsoft.hybridcompute/machines/{}>/2024-07-31-preview.xml (connectedmachine 1.1.0; properties clientFlatten="True")`;
const AAZ_PROFILE = `${AAZ}, Resources/mgmt-plane/<b64 .../machines/{}/licenseprofiles/{}>/2024-05-20-preview.xml and 2024-07-31-preview.xml; Azure/azure-cli-extensions src/connectedmachine/azext_connectedmachine/aaz/latest/connectedmachine/license_profile/_create.py @ 089d326d (name required, enum default)`;
const AAZ_ASSESS = `${AAZ}, Resources/mgmt-plane/<b64 .../machines/{}/assesspatches>/2024-07-31-preview.xml`;
const AAZ_INSTALL = 'Azure/aaz @ 63e1ddf8, Resources/mgmt-plane/<b64 .../machines/{}/installpatches>/2024-07-31-preview.xml (options name|n, maximum-duration and reboot-setting required, windows-parameters object with classifications-to-include); Azure/azure-cli-extensions src/connectedmachine/azext_connectedmachine/aaz/latest/connectedmachine/_install_patches.py @ 61faf6b4';
const AAZ_POLICY_ASSIGNMENT = 'Azure/aaz @ 49fc64d5, Commands/policy/assignment/_create.md (examples: --name, --policy, --scope, -p, --enforcement-mode) and Resources/mgmt-plane/<b64 /{scope}/providers/microsoft.authorization/policyassignments/{}>/2024-05-01.xml';
const WINDOWS_CLASSIFICATIONS = ['Critical', 'Definition', 'FeaturePack', 'Security', 'ServicePack', 'Tools', 'UpdateRollUp', 'Updates'];
const PS_CM = 'Azure/azure-powershell src/ConnectedMachine/ConnectedMachine/help';
const LEARN_AGENT = 'MicrosoftDocs/azure-management-docs articles/azure-arc/servers/manage-agent.md @ 00a531a8 (ms.date 08/13/2025)';
const LEARN_AZCMAGENT = 'MicrosoftDocs/azure-management-docs articles/azure-arc/servers/azcmagent-{show,check,version,disconnect}.md; disconnect flags from manage-agent.md @ 00a531a8';
const LEARN_CONNECT = 'MicrosoftDocs/azure-management-docs articles/azure-arc/servers/azcmagent-connect.md @ 0f71a804 (ms.date 03/24/2026)';

/** Every Azure CLI command accepts these (azure-cli core, knack global arguments). */
export const AZ_GLOBAL_PARAMETERS: readonly ParameterContract[] = [
  { names: ['--query'] },
  { names: ['--output', '-o'], values: ['json', 'jsonc', 'none', 'table', 'tsv', 'yaml', 'yamlc'] },
  { names: ['--only-show-errors'], flag: true },
  { names: ['--debug'], flag: true },
  { names: ['--verbose'], flag: true },
];

/** PowerShell common parameters (about_CommonParameters) plus -WhatIf/-Confirm where cmdlets support them. */
export const POWERSHELL_COMMON_PARAMETERS: readonly ParameterContract[] = [
  { names: ['-ErrorAction', '-ea'] },
  { names: ['-Verbose'], flag: true },
  { names: ['-Debug'], flag: true },
  { names: ['-WarningAction', '-wa'] },
  { names: ['-OutVariable', '-ov'] },
];

const SUBSCRIPTION: ParameterContract = { names: ['--subscription'] };
const RESOURCE_GROUP: ParameterContract = { names: ['--resource-group', '-g'], required: true };
const NO_WAIT: ParameterContract = { names: ['--no-wait'], flag: true };
const PS_READ: readonly ParameterContract[] = [{ names: ['-SubscriptionId'] }, { names: ['-DefaultProfile'] }];
const PS_ARM: readonly ParameterContract[] = [{ names: ['-SubscriptionId'] }, { names: ['-DefaultProfile'] }, { names: ['-AsJob'], flag: true }, { names: ['-NoWait'], flag: true }, { names: ['-WhatIf'], flag: true }, { names: ['-Confirm'], flag: true }];
const LICENSE_DETAILS = (targets: readonly string[]): readonly ParameterContract[] => [
  { names: ['--edition'], values: ['Datacenter', 'Standard'] },
  { names: ['--processors'], pattern: /^\d+$/ },
  { names: ['--state'], values: ['Activated', 'Deactivated'] },
  { names: ['--target'], values: targets },
  { names: ['--type'], values: ['pCore', 'vCore'] },
  { names: ['--volume-license-details'] },
  { names: ['--tags'] },
  { names: ['--license-type'], values: ['ESU'] },
  { names: ['--tenant-id'] },
];
const ROLE_PARAMS = 'Azure/azure-cli src/azure-cli/azure/cli/command_modules/role/_params.py (stored version id 827930735: role, role assignment, create, delete contexts)';
const RESOURCE_PARAMS = "Azure/azure-cli src/azure-cli/azure/cli/command_modules/resource/_params.py (stored version id 8603783: 'deployment mg', 'deployment mg create', 'lock', 'resource' and 'resource list' contexts)";
const ROLE_ASSIGNMENT: readonly ParameterContract[] = [{ names: ['--assignee'] }, { names: ['--assignee-object-id'] }, { names: ['--scope'] }, { names: ['--resource-group', '-g'] }, { names: ['--subscription'] }];
const DELETE_PROFILE = 'deleting the license profile also removes the software-assurance attestation and the product profile: unlink with a PUT of licenseProfiles/default instead';
const FLATTENED_QUERY = {
  pattern: /(^|[{,:\s])properties\./,
  reason: 'the command flattens `properties` in its output (clientFlatten), so `properties.x` prints nothing: query `x`',
};

export const COMMAND_CONTRACTS: readonly CommandContract[] = [
  // --- Azure CLI, connectedmachine extension -------------------------------------------------
  {
    command: 'az connectedmachine show', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'], source: AAZ_MACHINE,
    parameters: [{ names: ['--name', '--machine-name', '-n'], required: true }, RESOURCE_GROUP, SUBSCRIPTION, { names: ['--expand'], values: ['instanceView'] }, { names: ['--query'], rejects: FLATTENED_QUERY }],
  },
  {
    command: 'az connectedmachine assess-patches', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'], source: AAZ_ASSESS,
    parameters: [{ names: ['--name', '-n'], required: true }, RESOURCE_GROUP, SUBSCRIPTION, NO_WAIT],
  },
  {
    command: 'az connectedmachine install-patches', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'], source: AAZ_INSTALL,
    parameters: [
      { names: ['--name', '-n'], required: true }, RESOURCE_GROUP, SUBSCRIPTION, NO_WAIT,
      { names: ['--maximum-duration'], required: true, pattern: /^P(T(\d+H)?(\d+M)?)$/ },
      { names: ['--reboot-setting'], required: true, values: ['Always', 'IfRequired', 'Never'] },
      { names: ['--windows-parameters'], pattern: new RegExp(`^'?\\{classifications-to-include:\\[(${WINDOWS_CLASSIFICATIONS.join('|')})(,(${WINDOWS_CLASSIFICATIONS.join('|')}))*\\]\\}'?$`) },
      { names: ['--linux-parameters'] },
    ],
  },
  {
    command: 'az connectedmachine license show', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'], source: AAZ_LICENSES,
    parameters: [{ names: ['--license-name', '--name', '-n'], required: true }, RESOURCE_GROUP, SUBSCRIPTION, { names: ['--query'], rejects: FLATTENED_QUERY }],
  },
  {
    command: 'az connectedmachine license create', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'], source: AAZ_LICENSES,
    parameters: [{ names: ['--license-name', '--name', '-n'], required: true, pattern: /^[a-zA-Z0-9-_.]+$/ }, RESOURCE_GROUP, SUBSCRIPTION, { names: ['--location', '-l'], required: true }, NO_WAIT, ...LICENSE_DETAILS(CLI_LICENSE_TARGETS)],
  },
  {
    command: 'az connectedmachine license update', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'], source: AAZ_LICENSES,
    parameters: [{ names: ['--license-name', '--name', '-n'], required: true }, RESOURCE_GROUP, SUBSCRIPTION, NO_WAIT, ...LICENSE_DETAILS(CLI_LICENSE_TARGETS)],
  },
  {
    command: 'az connectedmachine license delete', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'], source: AAZ_LICENSES,
    parameters: [{ names: ['--license-name', '--name', '-n'], required: true }, RESOURCE_GROUP, SUBSCRIPTION, NO_WAIT, { names: ['--yes', '-y'], flag: true }],
  },
  {
    command: 'az connectedmachine license list', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'],
    source: `${AAZ}, Resources/mgmt-plane/<b64 /subscriptions/{}/providers/microsoft.hybridcompute/licenses>/2024-07-31-preview.xml; resource group optional from 1.1.1b1 (HISTORY.rst)`,
    parameters: [SUBSCRIPTION, { names: ['--resource-group', '-g'] }],
  },
  {
    command: 'az connectedmachine license-profile create', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'], source: AAZ_PROFILE,
    parameters: [
      { names: ['--license-profile-name', '--name', '-n'], required: true, values: ['default'] },
      { names: ['--machine-name', '-m'], required: true }, RESOURCE_GROUP, SUBSCRIPTION,
      { names: ['--location', '-l'], required: true }, { names: ['--assigned-license'] }, { names: ['--tags'] },
      { names: ['--product-features'] }, { names: ['--product-type'], values: ['WindowsIoTEnterprise', 'WindowsServer'] },
      { names: ['--subscription-status'] }, { names: ['--software-assurance-customer'], values: ['true', 'false'] }, NO_WAIT,
    ],
  },
  {
    command: 'az connectedmachine license-profile delete', tool: 'connectedmachine', runsOn: 'workstation', shells: ['az'], source: AAZ_PROFILE,
    forbidden: DELETE_PROFILE,
    parameters: [{ names: ['--license-profile-name', '--name', '-n'], required: true, values: ['default'] }, { names: ['--machine-name'], required: true }, RESOURCE_GROUP, SUBSCRIPTION, { names: ['--yes', '-y'], flag: true }],
  },
  // --- Azure CLI core ----------------------------------------------------------------------------
  {
    command: 'az rest', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'],
    source: 'Azure/azure-cli src/azure-cli/azure/cli/command_modules/util/_params.py @ 08cc6c15',
    forbids: [{ when: { '--method': /^delete$/i, '--url': /\/licenseProfiles\//i }, reason: DELETE_PROFILE }],
    parameters: [
      { names: ['--method', '-m'], values: ['head', 'get', 'put', 'post', 'delete', 'options', 'patch'] },
      { names: ['--url', '--uri', '-u'], required: true },
      { names: ['--headers'] }, { names: ['--uri-parameters', '--url-parameters'] }, { names: ['--skip-authorization-header'], flag: true },
      { names: ['--body', '-b'] }, { names: ['--output-file'] }, { names: ['--resource'] },
    ],
  },
  {
    command: 'az provider register', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'],
    source: 'Azure/azure-cli src/azure-cli/azure/cli/command_modules/resource/_params.py (stored version id 8603783)',
    parameters: [{ names: ['--namespace', '-n'], required: true }, SUBSCRIPTION, { names: ['--wait'], flag: true }, { names: ['--management-group-id', '-m'] }, { names: ['--consent-to-permissions', '-c'], flag: true }, { names: ['--accept-terms'], flag: true }],
  },
  {
    command: 'az policy assignment list', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'],
    source: 'Azure/azure-cli src/azure-cli/azure/cli/command_modules/resource/_params.py (stored version id 8603783: scope, disable_scope_strict_match); Azure/aaz Commands/policy/assignment/_list.md 2025-11-01 (filter, expand, management-group)',
    parameters: [{ names: ['--scope'] }, { names: ['--resource-group', '-g'] }, { names: ['--disable-scope-strict-match'], flag: true }, { names: ['--filter'] }, { names: ['--expand'] }, { names: ['--management-group'] }, SUBSCRIPTION],
  },
  {
    command: 'az policy assignment create', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'], source: AAZ_POLICY_ASSIGNMENT,
    parameters: [
      { names: ['--name', '-n'], pattern: /^'?[^<>*%&:\\?.+/]*[^<>*%&:\\?.+/ ]+'?$/ }, { names: ['--policy'], required: true }, { names: ['--scope'] },
      { names: ['--params', '-p'] }, { names: ['--enforcement-mode'], values: ['Default', 'DoNotEnforce'] }, { names: ['--resource-group', '-g'] },
      { names: ['--mi-system-assigned'], flag: true }, { names: ['--mi-user-assigned'] }, { names: ['--identity-scope'] }, { names: ['--role'] }, { names: ['--location', '-l'] }, SUBSCRIPTION,
    ],
  },
  {
    command: 'az tag update', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'],
    source: "Azure/azure-cli src/azure-cli/azure/cli/command_modules/resource/_params.py (stored version id 8603783: 'tag' context, TagUpdateOperation)",
    parameters: [{ names: ['--resource-id'], required: true }, { names: ['--operation'], required: true, values: ['Merge', 'Replace', 'Delete'] }, { names: ['--tags'], required: true }],
  },
  {
    command: 'az role assignment create', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'],
    source: ROLE_PARAMS,
    parameters: [...ROLE_ASSIGNMENT, { names: ['--role'], required: true }, { names: ['--assignee-principal-type'], values: ['User', 'Group', 'ServicePrincipal', 'ForeignGroup'] }, { names: ['--name', '-n'] }, { names: ['--description'] }, { names: ['--condition'] }, { names: ['--condition-version'] }],
  },
  {
    command: 'az role assignment delete', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'], source: ROLE_PARAMS,
    parameters: [...ROLE_ASSIGNMENT, { names: ['--role'] }, { names: ['--ids'] }, { names: ['--include-inherited'], flag: true }, { names: ['--yes', '-y'], flag: true }],
  },
  {
    // docs/deploy.md: the optional management-group Reader template.
    command: 'az deployment mg create', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'], source: RESOURCE_PARAMS,
    parameters: [
      { names: ['--management-group-id', '-m'], required: true }, { names: ['--location', '-l'], required: true }, { names: ['--name', '-n'] },
      { names: ['--template-file', '-f'] }, { names: ['--template-uri', '-u'] }, { names: ['--template-spec', '-s'] }, { names: ['--parameters', '-p'] },
      { names: ['--no-prompt'] }, { names: ['--confirm-with-what-if', '-c'], flag: true }, { names: ['--what-if', '-w'], flag: true }, NO_WAIT,
    ],
  },
  {
    // docs/deploy.md: removing the data account's delete lock on purpose.
    command: 'az lock delete', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'], source: RESOURCE_PARAMS,
    parameters: [
      { names: ['--name', '-n'] }, { names: ['--resource-group', '-g'] }, { names: ['--resource', '--resource-name'] }, { names: ['--resource-type'] },
      { names: ['--namespace'] }, { names: ['--parent'] }, { names: ['--ids'] }, SUBSCRIPTION,
    ],
  },
  {
    // docs/monitoring.md: listing the workbook azd deployed ('resource' context arguments, 'resource list' adds none but --name).
    command: 'az resource list', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'], source: RESOURCE_PARAMS,
    parameters: [
      { names: ['--resource-group', '-g'] }, { names: ['--name', '-n'] }, { names: ['--namespace'] }, { names: ['--resource-type'] },
      { names: ['--parent'] }, { names: ['--tag'] }, { names: ['--location', '-l'] }, SUBSCRIPTION,
    ],
  },
  {
    command: 'az graph query', tool: 'resource-graph', runsOn: 'workstation', shells: ['az'], source: 'Azure/azure-cli-extensions src/resource-graph/azext_resourcegraph/_params.py @ 07a8e47a',
    parameters: [
      { names: ['--graph-query', '--q', '-q'], required: true }, { names: ['--first'], pattern: /^\d+$/ }, { names: ['--skip'], pattern: /^\d+$/ },
      { names: ['--subscriptions', '-s'] }, { names: ['--management-groups'] }, { names: ['--skip-token'] }, { names: ['--allow-partial-scopes', '-a'] },
    ],
  },
  ...(['create', 'delete'] as const).map((verb): CommandContract => ({
    command: `az servicebus topic subscription rule ${verb}`, tool: 'azure-cli', runsOn: 'workstation', shells: ['az'],
    source: `${AAZ}, Resources/mgmt-plane/<b64 .../microsoft.servicebus/namespaces/{}/topics/{}/subscriptions/{}/rules/{}>/2022-10-01-preview.xml`,
    parameters: [
      { names: ['--namespace-name'], required: true }, RESOURCE_GROUP, { names: ['--rule-name', '--name', '-n'], required: true },
      { names: ['--subscription-name'], required: true }, { names: ['--topic-name'], required: true }, SUBSCRIPTION,
      ...(verb === 'create' ? [{ names: ['--filter-type'] }, { names: ['--compatibility-level'] }, { names: ['--enable-sql-preprocessing'] }, { names: ['--filter-sql-expression', '--sql-expression'] }] : []),
    ],
  })),
  {
    command: 'az servicebus topic subscription create', tool: 'azure-cli', runsOn: 'workstation', shells: ['az'],
    source: `${AAZ}, Resources/mgmt-plane/<b64 .../microsoft.servicebus/namespaces/{}/topics/{}/subscriptions/{}>/2022-01-01-preview.xml`,
    parameters: [
      { names: ['--namespace-name'], required: true }, RESOURCE_GROUP, { names: ['--subscription-name', '--name', '-n'], required: true },
      { names: ['--topic-name'], required: true }, SUBSCRIPTION, { names: ['--auto-delete-on-idle'] }, { names: ['--default-message-time-to-live'] },
      { names: ['--dead-letter-on-filter-exceptions'] }, { names: ['--enable-dead-lettering-on-message-expiration'] },
    ],
  },
  // --- Az PowerShell -----------------------------------------------------------------------------
  {
    command: 'Get-AzConnectedMachine', tool: 'az-connectedmachine', runsOn: 'workstation', shells: ['powershell'], source: `${PS_CM}/Get-AzConnectedMachine.md @ 5d43791e`,
    parameters: [{ names: ['-Name', '-MachineName'] }, { names: ['-ResourceGroupName'] }, { names: ['-Expand'] }, ...PS_READ],
  },
  {
    command: 'Get-AzConnectedLicense', tool: 'az-connectedmachine', runsOn: 'workstation', shells: ['powershell'], source: `${PS_CM}/Get-AzConnectedLicense.md @ 258b8d22; output properties Location, DetailTarget from Set-AzConnectedLicense.md's example`,
    parameters: [{ names: ['-Name', '-LicenseName'] }, { names: ['-ResourceGroupName'] }, ...PS_READ],
  },
  {
    command: 'New-AzConnectedLicense', tool: 'az-connectedmachine', runsOn: 'workstation', shells: ['powershell'], source: `${PS_CM}/New-AzConnectedLicense.md @ 8e0c28f4 (module 0.8.0+)`,
    parameters: [
      { names: ['-Name'], required: true }, { names: ['-ResourceGroupName'], required: true }, { names: ['-Location'], required: true },
      { names: ['-LicenseDetailEdition'], values: ['Datacenter', 'Standard'] }, { names: ['-LicenseDetailProcessor'], pattern: /^\d+$/ },
      { names: ['-LicenseDetailState'], values: ['Activated', 'Deactivated'] }, { names: ['-LicenseDetailTarget'], values: CLI_LICENSE_TARGETS },
      { names: ['-LicenseDetailType'], values: ['pCore', 'vCore'] }, { names: ['-LicenseType'], values: ['ESU'] }, { names: ['-Tag'] }, { names: ['-TenantId'] }, ...PS_ARM,
    ],
  },
  {
    command: 'Set-AzConnectedLicense', tool: 'az-connectedmachine', runsOn: 'workstation', shells: ['powershell'],
    source: `${PS_CM}/Set-AzConnectedLicense.md @ 02f1ac2d (module 0.8.0+; a PUT: -Location and every license property are required by the API)`,
    parameters: [
      { names: ['-Name'], required: true }, { names: ['-ResourceGroupName'], required: true }, { names: ['-Location'], required: true },
      { names: ['-LicenseType'], required: true, values: ['ESU'] }, { names: ['-LicenseDetailState'], required: true, values: ['Activated', 'Deactivated'] },
      { names: ['-LicenseDetailTarget'], required: true }, { names: ['-LicenseDetailEdition'], required: true, values: ['Datacenter', 'Standard'] },
      { names: ['-LicenseDetailType'], required: true, values: ['pCore', 'vCore'] }, { names: ['-LicenseDetailProcessor'], required: true, pattern: /^\d+$/ },
      { names: ['-Tag'] }, { names: ['-TenantId'] }, ...PS_ARM,
    ],
  },
  {
    command: 'Remove-AzConnectedLicense', tool: 'az-connectedmachine', runsOn: 'workstation', shells: ['powershell'], source: `${PS_CM}/Remove-AzConnectedLicense.md @ 49be303a`,
    parameters: [{ names: ['-Name'], required: true }, { names: ['-ResourceGroupName'], required: true }, ...PS_ARM],
  },
  {
    command: 'New-AzConnectedLicenseProfile', tool: 'az-connectedmachine', runsOn: 'workstation', shells: ['powershell'], source: `${PS_CM}/New-AzConnectedLicenseProfile.md @ 02f1ac2d`,
    parameters: [{ names: ['-MachineName'], required: true }, { names: ['-ResourceGroupName'], required: true }, { names: ['-Location'], required: true }, { names: ['-EsuProfileAssignedLicense'] }, { names: ['-SoftwareAssuranceCustomer'], flag: true }, { names: ['-Tag'] }, ...PS_ARM],
  },
  {
    command: 'Remove-AzConnectedLicenseProfile', tool: 'az-connectedmachine', runsOn: 'workstation', shells: ['powershell'], source: `${PS_CM}/Remove-AzConnectedLicenseProfile.md @ b7ee16ad`,
    forbidden: DELETE_PROFILE,
    parameters: [{ names: ['-MachineName'], required: true }, { names: ['-ResourceGroupName'], required: true }, ...PS_ARM],
  },
  {
    command: 'Update-AzConnectedMachine', tool: 'az-connectedmachine', runsOn: 'workstation', shells: ['powershell'], source: `${PS_CM}/Update-AzConnectedMachine.md @ 0668233e`,
    parameters: [{ names: ['-Name', '-MachineName'], required: true }, { names: ['-ResourceGroupName'], required: true }, { names: ['-WindowsConfigurationPatchSettingsAssessmentMode'], values: ['AutomaticByPlatform', 'ImageDefault'] }, { names: ['-LinuxConfigurationPatchSettingsAssessmentMode'], values: ['AutomaticByPlatform', 'ImageDefault'] }, { names: ['-Tag'] }, ...PS_ARM],
  },
  {
    command: 'Install-AzConnectedMachinePatch', tool: 'az-connectedmachine', runsOn: 'workstation', shells: ['powershell'],
    source: `${PS_CM}/Install-AzConnectedMachinePatch.md @ fe00fae3 (InstallExpanded parameter set)`,
    parameters: [
      { names: ['-Name'], required: true }, { names: ['-ResourceGroupName'], required: true }, { names: ['-MaximumDuration'], required: true, pattern: /^P(T(\d+H)?(\d+M)?)$/ },
      { names: ['-RebootSetting'], required: true, values: ['Always', 'IfRequired', 'Never'] },
      { names: ['-WindowParameterClassificationsToInclude'], pattern: new RegExp(`^(${WINDOWS_CLASSIFICATIONS.join('|')})(,(${WINDOWS_CLASSIFICATIONS.join('|')}))*$`) },
      { names: ['-WindowParameterKbNumbersToInclude'] }, { names: ['-WindowParameterKbNumbersToExclude'] }, { names: ['-WindowParameterExcludeKbsRequiringReboot'], flag: true },
      { names: ['-WindowParameterMaxPatchPublishDate'] }, ...PS_ARM,
    ],
  },
  {
    command: 'Invoke-AzRestMethod', tool: 'az-accounts', runsOn: 'workstation', shells: ['powershell'], source: 'Azure/azure-powershell src/Accounts/Accounts/help/Invoke-AzRestMethod.md @ 03bc37a4',
    forbids: [{ when: { '-Method': /^delete$/i, '-Path': /\/licenseProfiles\//i }, reason: DELETE_PROFILE }],
    parameters: [{ names: ['-Path'], required: true }, { names: ['-Method'], values: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] }, { names: ['-Payload'] }, { names: ['-AsJob'], flag: true }, { names: ['-WhatIf'], flag: true }, { names: ['-Confirm'], flag: true }],
  },
  {
    command: 'Register-AzResourceProvider', tool: 'az-resources', runsOn: 'workstation', shells: ['powershell'], source: 'Azure/azure-powershell src/Resources/Resources/help/Register-AzResourceProvider.md @ 2d215d80',
    parameters: [{ names: ['-ProviderNamespace'], required: true }, { names: ['-ApiVersion'] }, { names: ['-Pre'], flag: true }, { names: ['-DefaultProfile'] }, { names: ['-WhatIf'], flag: true }, { names: ['-Confirm'], flag: true }],
  },
  {
    command: 'Format-List', tool: 'windows', runsOn: 'workstation', shells: ['powershell'], source: 'PowerShell 5.1 Microsoft.PowerShell.Utility Format-List',
    parameters: [{ names: ['-Property'] }], positional: 1,
  },
  {
    command: 'New-AzRoleAssignment', tool: 'az-resources', runsOn: 'workstation', shells: ['powershell'], source: 'Azure/azure-powershell src/Resources/Resources/help/New-AzRoleAssignment.md @ 17a7dfd2',
    parameters: [
      { names: ['-ObjectId', '-Id', '-PrincipalId'] }, { names: ['-SignInName'] }, { names: ['-ApplicationId', '-SPN', '-ServicePrincipalName'] }, { names: ['-InputFile'] },
      { names: ['-RoleDefinitionName'] }, { names: ['-RoleDefinitionId'] }, { names: ['-Scope'] }, { names: ['-ResourceGroupName'] }, { names: ['-ResourceName'] },
      { names: ['-ResourceType'] }, { names: ['-ParentResource'] }, { names: ['-Description'] }, { names: ['-Condition'] }, { names: ['-ConditionVersion'] },
      { names: ['-ObjectType', '-PrincipalType'] }, { names: ['-AllowDelegation'], flag: true }, { names: ['-SkipClientSideScopeValidation'], flag: true }, { names: ['-DefaultProfile'] },
    ],
  },
  {
    command: 'Update-AzTag', tool: 'az-resources', runsOn: 'workstation', shells: ['powershell'], source: 'Azure/azure-powershell src/Resources/Resources/help/Update-AzTag.md @ 02d2ba5b',
    parameters: [{ names: ['-ResourceId'], required: true }, { names: ['-Tag'], required: true }, { names: ['-Operation'], required: true, values: ['NotSpecified', 'Merge', 'Replace', 'Delete'] }, { names: ['-DefaultProfile'] }, { names: ['-WhatIf'], flag: true }, { names: ['-Confirm'], flag: true }],
  },
  {
    command: 'Set-AzContext', tool: 'az-accounts', runsOn: 'workstation', shells: ['powershell'], source: 'Azure/azure-powershell src/Accounts/Accounts/help/Set-AzContext.md @ 01f91832',
    parameters: [
      { names: ['-Subscription', '-SubscriptionId', '-SubscriptionName'] }, { names: ['-Tenant', '-TenantId', '-Domain'] }, { names: ['-Name'] },
      { names: ['-Force'], flag: true }, { names: ['-Scope'], values: ['Process', 'CurrentUser'] }, { names: ['-DefaultProfile'] }, { names: ['-WhatIf'], flag: true }, { names: ['-Confirm'], flag: true },
    ],
  },
  // --- On the machine: the agent -----------------------------------------------------------------
  ...(['show', 'check', 'version', 'disconnect'] as const).map((verb): CommandContract => ({
    command: `azcmagent ${verb}`, tool: 'azcmagent', runsOn: 'machine', shells: ['powershell', 'bash'], source: LEARN_AZCMAGENT, positional: verb === 'show' ? 8 : 0,
    parameters: verb === 'disconnect' ? [{ names: ['--force-local-only'], flag: true }, { names: ['--use-device-code'], flag: true }] : [],
  })),
  {
    command: 'azcmagent connect', tool: 'azcmagent', runsOn: 'machine', shells: ['powershell', 'bash'], source: LEARN_CONNECT,
    parameters: [
      { names: ['--subscription-id', '-s'], required: true }, { names: ['--resource-group', '-g'], required: true }, { names: ['--location', '-l'], required: true },
      { names: ['--tenant-id', '-t'] }, { names: ['--resource-name', '-n'] }, { names: ['--use-device-code'], flag: true }, { names: ['--use-azcli'], flag: true },
      { names: ['--private-link-scope'] }, { names: ['--gateway-id'] }, { names: ['--tags'] }, { names: ['--cloud'] },
    ],
  },
  // --- On a Windows machine ----------------------------------------------------------------------
  {
    command: 'Invoke-WebRequest', tool: 'windows', runsOn: 'windows', shells: ['powershell'], source: 'PowerShell 5.1 Microsoft.PowerShell.Utility Invoke-WebRequest; URL from manage-agent.md',
    parameters: [{ names: ['-Uri'], required: true }, { names: ['-OutFile'] }, { names: ['-UseBasicParsing'], flag: true }],
  },
  {
    command: 'Start-Process', tool: 'windows', runsOn: 'windows', shells: ['powershell'], source: `PowerShell 5.1 Microsoft.PowerShell.Management Start-Process; msiexec options from ${LEARN_AGENT}`,
    parameters: [{ names: ['-FilePath'], required: true, values: ['msiexec.exe'] }, { names: ['-ArgumentList'] }, { names: ['-Wait'], flag: true, required: true }, { names: ['-Verb'] }],
  },
  {
    command: 'msiexec', tool: 'windows', runsOn: 'windows', shells: ['powershell'], source: LEARN_AGENT, positional: 8,
    forbidden: 'msiexec started from PowerShell returns at once: use Start-Process msiexec.exe -Wait so the version is read after the install',
    parameters: [],
  },
  {
    command: 'certutil', tool: 'windows', runsOn: 'windows', shells: ['powershell'], source: 'Troubleshoot ESU, "Error: Trying to check IMDS again (HRESULT 12002 or 12029)" (intermediate CA certificates); Windows certutil -addstore', positional: 2,
    parameters: [{ names: ['-addstore'], flag: true, required: true }],
  },
  {
    command: 'Remove-Item', tool: 'windows', runsOn: 'windows', shells: ['powershell'], source: 'PowerShell 5.1 Microsoft.PowerShell.Management Remove-Item; path from Troubleshoot ESU, "Error: Not eligible (HRESULT 1633)"',
    parameters: [{ names: ['-Path', '-LiteralPath'] }, { names: ['-Force'], flag: true }], positional: 1,
  },
  {
    command: 'Restart-Service', tool: 'windows', runsOn: 'windows', shells: ['powershell'], source: 'PowerShell 5.1 Microsoft.PowerShell.Management Restart-Service',
    parameters: [{ names: ['-Name'] }], positional: 1,
  },
  // --- On a Linux machine (manage-agent.md, "Upgrade the agent", Linux tabs) ------------------------
  ...([
    ['apt update', 0], ['apt upgrade', 1], ['yum check-update', 0], ['yum update', 1], ['zypper refresh', 0], ['zypper update', 1],
  ] as const).map(([command, positional]): CommandContract => ({
    command, tool: 'linux', runsOn: 'linux', shells: ['bash'], source: LEARN_AGENT, positional, parameters: [],
  })),
];

/** Programs in the project's docs that are not remediation (the project's own tooling); not checked. */
export const UNCHECKED_PROGRAMS: readonly string[] = ['npm', 'npx', 'node', 'azd', 'mkdir', 'jq'];
