import { compareVersions, formatVersion, parseAgentVersion, type AgentVersion } from '../../domain/versions.js';
import type { AgentRelease } from '../../programs/releaseNotes.js';
import { formatDay } from '../../programs/program.js';
import { DEFAULT_RULE_SETTINGS, type EvaluationContext, type MachineSubject } from '../context.js';
import { defineRule } from '../rule.js';
import { upgradeAgentCommands } from '../../remediation/fixes.js';

interface ParsedRelease {
  readonly version: AgentVersion;
  /** Months since year 0 of the release month. */
  readonly month: number;
  readonly text: string;
}

const monthIndex = (yearMonth: string): number => {
  const [year = Number.NaN, month = Number.NaN] = yearMonth.split('-').map(Number);
  return year * 12 + (month - 1);
};
const monthText = (index: number): string => formatDay(`${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`).replace(/^1 /, '');

// The release list is data shared by every machine: parsed once per list, newest first.
const parsedLists = new WeakMap<readonly AgentRelease[], readonly ParsedRelease[]>();
function parsedReleases(releases: readonly AgentRelease[]): readonly ParsedRelease[] {
  let parsed = parsedLists.get(releases);
  if (!parsed) {
    parsed = releases
      .flatMap((release) => {
        const version = parseAgentVersion(release.version);
        const month = monthIndex(release.released);
        return version && Number.isFinite(month) ? [{ version, month, text: release.version }] : [];
      })
      .sort((left, right) => compareVersions(right.version, left.version));
    parsedLists.set(releases, parsed);
  }
  return parsed;
}

/** The release an agent build belongs to: the same `major.minor`, else the nearest older release in the notes. */
function releaseOf(agent: AgentVersion, releases: readonly ParsedRelease[]): { readonly basis: 'listed' | 'newer' | 'older' | 'between'; readonly release?: ParsedRelease } {
  const majorMinor: AgentVersion = [agent[0] ?? 0, agent[1] ?? 0];
  const newest = releases[0];
  if (!newest || compareVersions(majorMinor, newest.version) > 0) return { basis: 'newer' };
  const listed = releases.find((release) => compareVersions(release.version, majorMinor) === 0);
  if (listed) return { basis: 'listed', release: listed };
  const older = releases.find((release) => compareVersions(release.version, majorMinor) < 0);
  return older ? { basis: 'between', release: older } : { basis: 'older' };
}

function supportWindow(value: number): number {
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_RULE_SETTINGS.agentSupportMonths;
}

const NOTES = 'the agent release notes';
const ESTATE = 'reported by a machine in this scan';

/**
 * "Only Connected Machine agent versions released within the last year are officially supported" (agent release
 * notes, sources/microsoft-learn/azure-arc-servers/agent-release-notes.md, "What's new with Azure Connected Machine
 * agent"). The notes give each release a month, not a day: a release counts as supported through the same month a year
 * later (our reading, in the agent's favour). Guest configuration is free on Azure Local from agent 1.39 (Azure
 * Local "Azure verification for VMs"; not among the captured sources, hence a setting).
 */
export const agentSupportedRule = defineRule({
  id: 'ESU.Machine.AgentSupported',
  title: 'Connected Machine agent is a supported release',
  group: 'Machine',
  severity: 'Medium',
  messagePrefix: 'AgentSupported',
  description:
    'Only Connected Machine agents released within the last year are supported (agent release notes, which give each release its month); on Azure Local (Azure Stack HCI), Azure Policy guest configuration is free only with agent 1.39 or later.',
  recommendation: 'Upgrade the Azure Connected Machine agent to the latest release.',
  links: [
    { title: 'What\'s new with the Connected Machine agent (release notes)', url: 'https://learn.microsoft.com/azure/azure-arc/servers/agent-release-notes' },
    { title: 'Archive for What\'s new with the Connected Machine agent', url: 'https://learn.microsoft.com/azure/azure-arc/servers/agent-release-notes-archive' },
    { title: 'Upgrade the Connected Machine agent', url: 'https://learn.microsoft.com/azure/azure-arc/servers/manage-agent#additional-agent-upgrade-methods' },
    { title: 'Azure verification for VMs on Azure Local', url: 'https://learn.microsoft.com/azure/azure-local/deploy/azure-verification' },
  ],
  messages: {
    Passed: (e) =>
      (e['release'] === 'newer'
        ? `Agent ${e['agentVersion']} is newer than every release in ${NOTES} (newest there: ${e['newestListed']}), so it is supported.`
        : `Agent ${e['agentVersion']} belongs to release ${e['releaseVersion']} (${e['releasedIn']}), supported through ${e['supportedThrough']}.`) +
      ` Newest known release: ${e['newestVersion']} (${e['newestSource']}).`,
    'PassedWithWarning.Unsupported': (e) =>
      (e['release'] === 'older'
        ? `Agent ${e['agentVersion']} is older than every release in ${NOTES}: it is no longer supported.`
        : `Agent ${e['agentVersion']} belongs to release ${e['releaseVersion']} (${e['releasedIn']}); only agents released within the last ${e['supportMonths']} months are supported, and its support ended after ${e['supportedThrough']}.`) +
      ` Upgrade it to the newest known release ${e['newestVersion']} (${e['newestSource']}).`,
    'PassedWithWarning.HciGuestConfiguration': (e) =>
      `Agent ${e['agentVersion']} runs on Azure Local (Azure Stack HCI) and is below ${e['hciMinimumVersion']}: Azure Policy guest configuration is free there only from agent ${e['hciMinimumVersion']}.` +
      (e['withinSupport'] === false ? ` It is also no longer a supported release (newest known release ${e['newestVersion']}, ${e['newestSource']}).` : ''),
  },
  evaluate(machine: MachineSubject, context: EvaluationContext) {
    // Missing or unparsable versions are ESU.Machine.AgentVersion's warnings; nothing to compare here.
    const agent = machine.agentVersionParsed;
    if (!agent) return undefined;
    const releases = parsedReleases(context.settings.agentReleases);
    // No usable release data (a broken override): support cannot be judged.
    if (releases.length === 0) return undefined;
    const supportMonths = supportWindow(context.settings.agentSupportMonths);
    const { basis, release } = releaseOf(agent, releases);
    const now = context.now;
    const withinSupport = basis === 'newer' || (release !== undefined && now.getUTCFullYear() * 12 + now.getUTCMonth() <= release.month + supportMonths);
    // The newest known release: the newest in the notes, unless a machine of this scan already reports a newer one.
    const listed = releases[0]?.version;
    const reportedText = context.newestReportedAgentVersion?.();
    const reported = parseAgentVersion(reportedText);
    const fromEstate = reported !== undefined && (listed === undefined || compareVersions(reported, listed) > 0);
    const newestText = fromEstate ? reportedText?.trim() : releases[0]?.text;
    const hciMinimum = parseAgentVersion(context.settings.hciGuestConfigurationAgentVersion) ?? parseAgentVersion(DEFAULT_RULE_SETTINGS.hciGuestConfigurationAgentVersion);
    const onHci = machine.host.freeEnvironment === 'AzureStackHCI';
    const evidence = {
      agentVersion: machine.agentVersion?.trim() ?? formatVersion(agent),
      release: basis,
      releaseVersion: release?.text ?? null,
      releasedIn: release ? monthText(release.month) : null,
      supportedThrough: release ? monthText(release.month + supportMonths) : null,
      newestListed: releases[0]?.text ?? null,
      newestVersion: newestText ?? null,
      newestSource: fromEstate ? ESTATE : NOTES,
      supportMonths,
      withinSupport,
      freeEnvironment: machine.host.freeEnvironment ?? null,
      hciMinimumVersion: hciMinimum ? formatVersion(hciMinimum) : null,
    };
    if (onHci && hciMinimum && compareVersions(agent, hciMinimum) < 0) return { key: 'PassedWithWarning.HciGuestConfiguration', evidence };
    return { key: withinSupport ? 'Passed' : 'PassedWithWarning.Unsupported', evidence };
  },
  remediation: {
    jobType: 'upgrade-agent',
    onWarning: true,
    commands: (machine) => upgradeAgentCommands(machine),
  },
});
