import { parseArmResource, type ArmResourceBase, type ParseResult } from './armResource.js';
import { asRecord, asString } from './read.js';

/** A policy assignment (`Microsoft.Authorization/policyAssignments`, api-version 2023-04-01), normalised. */
export interface PolicyAssignment extends Omit<ArmResourceBase, 'subscriptionId' | 'resourceGroup'> {
  readonly displayName?: string;
  readonly policyDefinitionId?: string;
  /** Where it applies: a management group, subscription or resource group id. */
  readonly scope?: string;
  readonly notScopes: readonly string[];
  /** `Default` enforces; `DoNotEnforce` only reports. */
  readonly enforcementMode?: string;
  /** Parameter values (`parameters.{name}.value`). */
  readonly parameters: Readonly<Record<string, unknown>>;
}

export function parsePolicyAssignment(raw: unknown): ParseResult<PolicyAssignment> {
  const envelope = parseArmResource(raw);
  if (!envelope.ok) return envelope;
  const { base, properties } = envelope.value;
  const parameters: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(asRecord(properties['parameters']) ?? {})) parameters[name] = asRecord(entry)?.['value'];
  const notScopes = Array.isArray(properties['notScopes']) ? properties['notScopes'].filter((scope): scope is string => typeof scope === 'string') : [];
  return {
    ok: true,
    value: {
      id: base.id,
      name: base.name,
      location: base.location,
      displayName: asString(properties['displayName']),
      policyDefinitionId: asString(properties['policyDefinitionId']),
      scope: asString(properties['scope']),
      notScopes,
      enforcementMode: asString(properties['enforcementMode']),
      parameters,
    },
  };
}

const under = (resourceId: string, scope: string): boolean => {
  const id = resourceId.toLowerCase();
  const prefix = scope.toLowerCase().replace(/\/+$/, '');
  return id === prefix || id.startsWith(`${prefix}/`);
};

/**
 * Whether an assignment applies to a resource: inside its scope and outside every `notScopes` entry. An
 * assignment without a scope (not reported) was listed for this subscription, so it is taken to apply.
 */
export function appliesTo(assignment: PolicyAssignment, resourceId: string): boolean {
  if (assignment.scope !== undefined && !assignment.scope.toLowerCase().startsWith('/providers/microsoft.management/') && !under(resourceId, assignment.scope)) return false;
  return !assignment.notScopes.some((scope) => under(resourceId, scope));
}

export const sameDefinition = (assignment: PolicyAssignment, definitionId: string): boolean =>
  assignment.policyDefinitionId?.toLowerCase() === definitionId.toLowerCase();

/** An assignment that acts: enforced (`enforcementMode` Default or unset) with its effect not Disabled. */
export function isEnforced(assignment: PolicyAssignment): boolean {
  const mode = assignment.enforcementMode?.toLowerCase();
  const effect = assignment.parameters['effect'];
  return (mode === undefined || mode === 'default') && !(typeof effect === 'string' && effect.toLowerCase() === 'disabled');
}

