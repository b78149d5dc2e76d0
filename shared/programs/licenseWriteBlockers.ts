import { appliesTo, isEnforced, sameDefinition, type PolicyAssignment } from '../domain/policyAssignment.js';
import { ESU_POLICY_DEFINITIONS } from './catalogue.js';

/** The enforced ESU license Deny assignments among `assignments`, wherever they apply. */
export function licenseWriteBlockersIn(assignments: readonly PolicyAssignment[]): PolicyAssignment[] {
  return assignments.filter((assignment) => sameDefinition(assignment, ESU_POLICY_DEFINITIONS.denyLicenseWrites) && isEnforced(assignment));
}

/** The enforced Deny assignments that block ESU license writes on `resourceId`. */
export function licenseWriteBlockersOf(assignments: readonly PolicyAssignment[], resourceId: string): PolicyAssignment[] {
  return licenseWriteBlockersIn(assignments).filter((assignment) => appliesTo(assignment, resourceId));
}
