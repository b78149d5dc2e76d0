import type { EsuProgram } from './programTypes.js';

/**
 * The ESU programs, as Microsoft publishes them: one entry per program. Dates and thresholds here are the
 * defaults of settings (`ESU_PROGRAM_OVERRIDES`), so an extension Microsoft announces later is a
 * configuration change. Sources are cited per entry and on the rule pages.
 */
export const ESU_PROGRAM_CATALOGUE: readonly EsuProgram[] = [
  {
    id: 'WS2008',
    name: 'Windows Server 2008 / 2008 R2',
    osFamilies: ['LegacyWindows'],
    editions: [],
    endOfSupport: '2020-01-14',
    esuStart: '2020-01-15',
    // Years 1-3 (MAK keys) ended 2023-01-10; the Azure-only fourth year ended 2024-01-09.
    esuEnd: '2024-01-09',
    arcLicensing: false,
    agentMinimum: undefined,
    licenseTargets: [],
    freeEnvironments: [],
    coreTypeChosenLater: false,
    devTestBenefit: false,
    usageTags: undefined,
    disasterRecoveryBenefit: false,
    splaAllowed: false,
    volumeLicensingTransition: false,
    // Volume licensing customers with Software Assurance (Microsoft's 2020 ESU announcement).
    licensingConformance: ['SoftwareAssurance'],
    billingStart: undefined,
    backBilledTo: undefined,
    sources: [
      { title: 'Extended Security Updates for Windows Server 2008 / 2008 R2: obtaining and deploying them (MAK keys, three 12-month years from 14 January 2020)', url: 'https://learn.microsoft.com/troubleshoot/windows-server/windows-server-eos-faq/extended-security-updates-deployment' },
      { title: 'Windows Server 2008 and 2008 R2 lifecycle', url: 'https://learn.microsoft.com/lifecycle/products/windows-server-2008-r2' },
    ],
  },
  {
    id: 'WS2012',
    name: 'Windows Server 2012 / 2012 R2',
    osFamilies: ['WindowsServer2012', 'WindowsServer2012R2'],
    editions: ['Standard', 'Datacenter'],
    endOfSupport: '2023-10-10',
    esuStart: '2023-10-11',
    esuEnd: '2026-10-13',
    arcLicensing: true,
    agentMinimum: '1.34',
    licenseTargets: ['Windows Server 2012', 'Windows Server 2012 R2'],
    freeEnvironments: ['AzureStackHCI', 'AzureVMwareSolution', 'Azure'],
    coreTypeChosenLater: false,
    devTestBenefit: true,
    // Deliver ESU, additional scenarios: tag the machine and its production license `ESU Usage`.
    usageTags: { devTest: 'WS2012 VISUAL STUDIO DEV TEST', disasterRecovery: 'WS2012 DISASTER RECOVERY', multipurpose: 'WS2012 MULTIPURPOSE' },
    disasterRecoveryBenefit: true,
    splaAllowed: true,
    volumeLicensingTransition: true,
    // Not required under SPLA or with a Server Subscription (license guidelines, "Software Assurance/Services Provider
    // License Agreement conformance", Windows Server 2012 section).
    licensingConformance: ['SoftwareAssurance', 'ServerSubscription', 'SPLA'],
    billingStart: '2023-10-11',
    backBilledTo: '2023-10-11',
    sources: [
      { title: 'Windows Server 2012 and 2012 R2 lifecycle (end of support 10 October 2023)', url: 'https://learn.microsoft.com/lifecycle/products/windows-server-2012-r2' },
      { title: 'Prepare to deliver Extended Security Updates (end of support 10 October 2023, agent 1.34)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prepare-extended-security-updates', file: 'microsoft-learn/azure-arc-servers/prepare-extended-security-updates.md', heading: 'Prepare to deliver Extended Security Updates for Windows Server' },
      { title: 'Deliver Extended Security Updates (additional scenarios: ESU Usage tags)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates', file: 'microsoft-learn/azure-arc-servers/deliver-extended-security-updates.md', heading: 'Additional scenarios' },
      { title: 'License provisioning guidelines for Extended Security Updates (Software Assurance, SPLA or a Server Subscription)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates', file: 'microsoft-learn/azure-arc-servers/license-extended-security-updates.md', heading: 'Software Assurance/Services Provider License Agreement conformance' },
      { title: 'Troubleshoot delivery of Extended Security Updates (agent 1.34, eligible operating systems)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates', file: 'microsoft-learn/azure-arc-servers/troubleshoot-extended-security-updates.md', heading: 'ESU enrollment issues' },
    ],
  },
  {
    id: 'WS2016',
    name: 'Windows Server 2016',
    osFamilies: ['WindowsServer2016'],
    editions: ['Standard', 'Datacenter'],
    endOfSupport: '2027-01-12',
    esuStart: '2027-01-13',
    // ESUs run up to three years; Microsoft has not published the last date, so the default is the
    // January 2030 Patch Tuesday, three years after end of support. A setting.
    esuEnd: '2030-01-08',
    arcLicensing: true,
    agentMinimum: '1.62',
    licenseTargets: ['Windows Server 2016'],
    // The WS2016 sections name Azure; the AVS page ("In Azure, which includes Azure VMware Solution, ESUs are
    // free of charge") and the Azure Local page ("at no cost through Azure verification for VMs") do not name a
    // version. A setting, should Microsoft say otherwise.
    freeEnvironments: ['AzureStackHCI', 'AzureVMwareSolution', 'Azure'],
    // Deliver ESU: "Unlike Windows Server 2012, you select the core type (physical or virtual) later".
    coreTypeChosenLater: true,
    devTestBenefit: false,
    usageTags: undefined,
    disasterRecoveryBenefit: false,
    splaAllowed: false,
    volumeLicensingTransition: false,
    // Software Assurance or an equivalent Server Subscription on-premises; no SPLA (same heading, Windows Server 2016).
    licensingConformance: ['SoftwareAssurance', 'ServerSubscription'],
    billingStart: '2027-01-13',
    backBilledTo: '2027-01-12',
    sources: [
      { title: 'Prepare to deliver Extended Security Updates (Windows Server 2016: end of support 12 January 2027, up to three years, configurable from 3 August 2026)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/prepare-extended-security-updates', file: 'microsoft-learn/azure-arc-servers/prepare-extended-security-updates.md', heading: 'Prepare to deliver Extended Security Updates for Windows Server' },
      { title: 'License provisioning guidelines for Extended Security Updates (Software Assurance or a Server Subscription, no SPLA)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/license-extended-security-updates', file: 'microsoft-learn/azure-arc-servers/license-extended-security-updates.md', heading: 'Software Assurance/Services Provider License Agreement conformance' },
      { title: 'Deliver Extended Security Updates (core type chosen when ESU is enabled)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/deliver-extended-security-updates', file: 'microsoft-learn/azure-arc-servers/deliver-extended-security-updates.md', heading: 'Create Azure Arc Windows Server licenses' },
      { title: 'Billing for Extended Security Updates (billing from 13 January 2027, back-billed to 12 January 2027)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/billing-extended-security-updates', file: 'microsoft-learn/azure-arc-servers/billing-extended-security-updates.md', heading: 'Back-billing for ESUs enabled by Azure Arc' },
      { title: 'Troubleshoot delivery of Extended Security Updates (agent 1.62)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-extended-security-updates', file: 'microsoft-learn/azure-arc-servers/troubleshoot-extended-security-updates.md', heading: 'ESU enrollment issues' },
      { title: 'ESUs in Azure VMware Solution VMs', url: 'https://learn.microsoft.com/azure/azure-vmware/extended-security-updates-windows-sql-server' },
      { title: 'Azure verification for VMs on Azure Local', url: 'https://learn.microsoft.com/azure/azure-local/deploy/azure-verification' },
    ],
  },
];

/**
 * Built-in policy definitions that change what a license fix can do (Azure/azure-policy,
 * built-in-policies/policyDefinitions/Azure Arc/GuestConfiguration_ArcESU_{Deny,DINE}.json).
 */
export const ESU_POLICY_DEFINITIONS = {
  /** "[Preview]: Deny Extended Security Updates (ESUs) license creation or modification": `type equals Microsoft.HybridCompute/licenses`, parameter `effect` (Deny | Disabled). */
  denyLicenseWrites: '/providers/Microsoft.Authorization/policyDefinitions/4c660f31-eafb-408d-a2b3-6ed2260bd26c',
  /** "Enable ESUs license ..." (DeployIfNotExists): links every Eligible machine to the license in parameter `ESULicenseResourceId`. */
  autoLinkLicense: '/providers/Microsoft.Authorization/policyDefinitions/4864134f-d306-4ff5-94d8-ea4553b18c97',
  autoLinkLicenseParameter: 'ESULicenseResourceId',
  /**
   * "Extended Security Updates should be installed on Windows Server 2012 Arc machines" (machine configuration,
   * AuditIfNotExists): id from the Learn pages "Deliver ESU" (Assess WS2012 ESU patch status) and "Troubleshoot ESU"
   * (ESU patch status); guest configuration name from the team's domain notes (the captured pages do not name it).
   */
  esuPatchesInstalled: '/providers/Microsoft.Authorization/policyDefinitions/14b4e776-9fab-44b0-b53f-38d2458ea8be',
  esuPatchesGuestConfiguration: 'PendingESUUpdates',
  /** The Windows Server versions the policy checks (its name says Windows Server 2012). */
  esuPatchesPrograms: ['WS2012'],
} as const;
